// Work that follows an ack waits one turn of the event loop, so requests that have already
// arrived are acked first: under load, Slack's 3-second clock runs for them, not for our work.
export function afterAck(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}
