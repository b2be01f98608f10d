import { processIo } from "./io.js";
import { gen } from "./gen-main.js";

process.exitCode = await gen(process.argv.slice(2), processIo());
