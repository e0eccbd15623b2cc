// Preloaded into a third-party server (`node --import`): whatever address the server asks for, it
// listens on 127.0.0.1 at a port the system picks, and tells the test (over the fork's IPC
// channel) where it listens. The server's own code is not changed: Twilio's samples hard-code port 8080, which
// tests running side by side cannot share.
import net from "node:net";

const listen = net.Server.prototype.listen;
let told = false;
net.Server.prototype.listen = function (...args) {
  const callback = args.find((arg) => typeof arg === "function");
  const asked = args[0] !== null && typeof args[0] === "object" ? args[0] : {};
  args = [{ ...asked, port: 0, host: "127.0.0.1" }, ...(callback === undefined ? [] : [callback])];
  this.once("listening", () => {
    if (told) return; // the first server is the one the sample serves on
    told = true;
    const { address, port } = this.address();
    process.send?.({ address, port });
  });
  return listen.apply(this, args);
};
