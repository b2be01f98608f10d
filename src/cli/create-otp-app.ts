import { createOtpApp } from "./create-main.js";
import { processIo } from "./io.js";

process.exitCode = await createOtpApp(process.argv.slice(2), processIo());
