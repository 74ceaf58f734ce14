/** Why the fake refused a call: Slack's error code and, for payload errors, its messages. */
export interface Rejection {
  error: string;
  messages?: string[];
}
