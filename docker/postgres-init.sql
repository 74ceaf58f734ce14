-- Run once by the postgres image on its first start: the example config's three environments.
CREATE DATABASE app_dev;
CREATE DATABASE app_staging;
CREATE DATABASE app_prod;
