// Runs cognito-local in the current directory (it keeps its pools under ./.cognito) and stops
// when standard input closes, so that it never outlives the local stack that started it.
const { createDefaultServer } = require("cognito-local/lib/server");
const pino = require("pino");

const logger = pino({ level: process.env.DEBUG ? "debug" : "info" });

createDefaultServer(logger)
  .then((server) => server.start())
  .then((server) => {
    const address = server.address();
    console.log(`cognito-local listening on ${address.address}:${address.port}`);
  })
  .catch((err) => {
    console.error(`cognito-local failed to start: ${err.message}`);
    process.exit(1);
  });

process.stdin.on("end", () => process.exit(0));
process.stdin.on("error", () => process.exit(0));
process.stdin.resume();
