/**
 * The one reading of a whole number given as text (a CLI flag, a `--fault` spec): decimal digits
 * with an optional sign and nothing else — `1e3`, `0x10`, `5.0`, ` 5` are not numbers here.
 *   integer = [ "+" / "-" ] 1*16DIGIT    (16 digits: every value is exactly representable)
 */
const INTEGER = /^[+-]?\d{1,16}$/;

/** The integer `text` spells, or undefined when it spells none. */
export function decimalInteger(text: string): number | undefined {
  return INTEGER.test(text) ? Number(text) : undefined;
}
