// Types of scripts/compile-pattern.mjs, for the property test that checks what it compiles.
export interface PatternCompiler {
  /** The text of a `{ test(s) }` object matching what the pattern matches, or undefined if it is not of the grammar. */
  compile(source: string): string | undefined;
  /** The shortest and longest length of what the pattern matches, or undefined if it is not of the grammar. */
  lengths(source: string): { min: number; max: number } | undefined;
  /** The text of the tables and helpers the compiled patterns use. */
  declarations(): string;
}
export function createPatternCompiler(): PatternCompiler;
