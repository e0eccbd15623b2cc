/**
 * What every arbitrary of src/arbitraries must pass (after fast-check's own
 * `__test-helpers__/ArbitraryAssertions.ts`): the same seed gives the same values, every
 * generated value satisfies the arbitrary's predicate, and so does every value shrinking
 * visits — a shrunk invalid sample is still invalid, for the same reason, at the same path.
 *
 * The seeds come from fast-check itself (fc.assert over a seed), so FC_SEED replays these too.
 */
import { isDeepStrictEqual } from "node:util";
import fc from "fast-check";
// pure-rand is fast-check's own random source (its dependency): the generator fc.Random wraps.
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/** A predicate that throws (an `expect`) or returns false when a value is wrong. */
export type ValuePredicate<T> = (value: T) => boolean | void;

function holds<T>(predicate: ValuePredicate<T>, value: T): boolean {
  return predicate(value) !== false;
}

function generate<T>(arb: fc.Arbitrary<T>, seed: number): fc.Value<T> {
  return arb.generate(new fc.Random(xoroshiro128plus(seed)), undefined);
}

/** Same seed → same value. */
function assertProduceSameValueGivenSameSeed<T>(arb: fc.Arbitrary<T>): void {
  fc.assert(fc.property(fc.noShrink(fc.integer()), (seed) => isDeepStrictEqual(generate(arb, seed).value, generate(arb, seed).value)));
}

/** Every generated value satisfies `predicate`. */
function assertProduceValuesSatisfying<T>(arb: fc.Arbitrary<T>, predicate: ValuePredicate<T>): void {
  fc.assert(fc.property(arb, (value) => holds(predicate, value)));
}

/**
 * Every value met while shrinking satisfies `predicate`: from a generated value, the first
 * `breadth` candidates of each step are checked, and one of them (chosen by `pathSeed`) is
 * shrunk further, `depth` steps down.
 */
function assertShrunkValuesSatisfying<T>(
  arb: fc.Arbitrary<T>,
  predicate: ValuePredicate<T>,
  { breadth = 5, depth = 8 }: { breadth?: number; depth?: number } = {},
): void {
  fc.assert(
    fc.property(fc.noShrink(fc.integer()), fc.noShrink(fc.array(fc.nat(), { minLength: depth, maxLength: depth })), (seed, path) => {
      let current = generate(arb, seed);
      for (const pick of path) {
        const candidates = [...arb.shrink(current.value, current.context).take(breadth)];
        if (candidates.length === 0) return true;
        const broken = candidates.find((candidate) => !holds(predicate, candidate.value));
        if (broken !== undefined) {
          throw new Error(`shrinking ${JSON.stringify(current.value)} gave ${JSON.stringify(broken.value)}, which breaks the predicate`);
        }
        current = candidates[pick % candidates.length]!;
      }
      return true;
    }),
  );
}

/** The three assertions above, in one call. */
export function assertArbitrary<T>(arb: fc.Arbitrary<T>, predicate: ValuePredicate<T>): void {
  assertProduceSameValueGivenSameSeed(arb);
  assertProduceValuesSatisfying(arb, predicate);
  assertShrunkValuesSatisfying(arb, predicate);
}

/**
 * Values given by a user (fc.assert's `examples`) shrink too: the arbitrary recognises every
 * value it generates without its context, and shrinking such a value keeps `predicate`.
 */
export function assertShrinkWithoutContext<T>(arb: fc.Arbitrary<T>, predicate: ValuePredicate<T>): void {
  fc.assert(
    fc.property(fc.noShrink(fc.integer()), (seed) => {
      const { value } = generate(arb, seed);
      if (!arb.canShrinkWithoutContext(value)) throw new Error(`${JSON.stringify(value)} cannot be shrunk without its context`);
      return [...arb.shrink(value, undefined).take(10)].every((candidate) => holds(predicate, candidate.value));
    }),
  );
}
