// A small, bounded HTTP/1.1 load generator for the loopback benches: `connections` keep-alive
// sockets, each sending its next request as soon as the previous answer is complete, for
// `durationMs`. Raw sockets and pre-serialised requests keep the client's own cost low, so that
// the server, not the client, is what is measured. Answers must carry a Content-Length.
import net from "node:net";

const HEADER_END = Buffer.from("\r\n\r\n");

/** Serialises one HTTP/1.1 request (keep-alive, Host 127.0.0.1) to the bytes sent on the wire. */
export function rawRequest(method, path, headers = {}, body = "") {
  const payload = Buffer.from(body);
  const lines = [`${method} ${path} HTTP/1.1`, "Host: 127.0.0.1", `Content-Length: ${payload.length}`];
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`);
  return Buffer.concat([Buffer.from(`${lines.join("\r\n")}\r\n\r\n`), payload]);
}

/**
 * Sends `requests` (cycled) to 127.0.0.1:`port` over `connections` sockets for `durationMs`.
 * Every answer's status must be in `okStatuses` and, if given, its body must pass `checkBody`
 * (called on every `checkEvery`-th answer), or the run fails.
 * @returns `{ count, seconds, perSecond, clientCpuShare }`
 */
export function runLoad({ port, requests, connections = 32, durationMs = 2000, okStatuses, checkBody, checkEvery = 97 }) {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const cpuStart = process.cpuUsage();
    const deadline = Date.now() + durationMs;
    let count = 0;
    let next = 0;
    let open = connections;
    let failed = false;
    const sockets = [];
    const fail = (error) => {
      if (failed) return;
      failed = true;
      for (const socket of sockets) socket.destroy();
      reject(error);
    };
    // Stops by itself even if the server stops answering.
    const watchdog = setTimeout(() => fail(new Error(`no answer within ${durationMs + 10_000} ms`)), durationMs + 10_000);
    const finish = () => {
      if (--open > 0 || failed) return;
      clearTimeout(watchdog);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const cpu = process.cpuUsage(cpuStart);
      resolve({ count, seconds, perSecond: count / seconds, clientCpuShare: (cpu.user + cpu.system) / 1e6 / seconds });
    };
    for (let c = 0; c < connections; c++) {
      const socket = net.connect({ port, host: "127.0.0.1", noDelay: true });
      sockets.push(socket);
      let buffered = Buffer.alloc(0);
      const send = () => socket.write(requests[next++ % requests.length]);
      socket.on("connect", send);
      socket.on("error", fail);
      socket.on("close", finish);
      socket.on("data", (chunk) => {
        buffered = buffered.length === 0 ? chunk : Buffer.concat([buffered, chunk]);
        for (;;) {
          const headerEnd = buffered.indexOf(HEADER_END);
          if (headerEnd < 0) return;
          const head = buffered.toString("latin1", 0, headerEnd);
          const length = /\r\ncontent-length: *(\d+)/i.exec(head);
          if (!length) return fail(new Error(`an answer without Content-Length: ${head}`));
          const end = headerEnd + 4 + Number(length[1]);
          if (buffered.length < end) return;
          const status = Number(head.slice(9, 12));
          if (!okStatuses.includes(status)) return fail(new Error(`status ${status}: ${buffered.toString("utf8", 0, end)}`));
          if (checkBody && count % checkEvery === 0) {
            const problem = checkBody(buffered.toString("utf8", headerEnd + 4, end));
            if (problem) return fail(new Error(`answer #${count}: ${problem}`));
          }
          count++;
          buffered = buffered.subarray(end);
          if (Date.now() < deadline) send();
          else return socket.end();
        }
      });
    }
  });
}
