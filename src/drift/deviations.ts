/**
 * Where the contract differs from Twilio's OpenAPI document on purpose. Every entry names both
 * sides' values exactly, so that if Twilio changes the thing again, it is drift again.
 * (`undefined` = the side says nothing.) docs/decisions.md's "Decisions where Twilio's spec is loose"
 * explains each one for users.
 *
 * One difference needs no entry because the facts already agree: the contract says
 * `Parameter1.Name` … `Parameter99.Value` once, with `patternProperties`, where Twilio lists all
 * 198; each name Twilio lists that the pattern covers counts as a property of the contract
 * (src/drift/facts.ts, `objectFacts`). A new `Parameter100.Name` would be drift.
 */

/** One accepted difference. `name` may end in `*` to cover every name with that prefix. */
export interface AcceptedDeviation {
  readonly where: string;
  readonly name: string;
  readonly aspect: string;
  /** The contract's value, as canonical JSON; undefined when the contract says nothing. */
  readonly ours: string | undefined;
  /** Twilio's value, as canonical JSON; undefined when Twilio's document says nothing. */
  readonly theirs: string | undefined;
  readonly why: string;
}

const json = JSON.stringify;

const perOperation = (make: (operation: "CreateStream" | "UpdateStream") => AcceptedDeviation[]) => [
  ...make("CreateStream"),
  ...make("UpdateStream"),
];

/** The accepted deviations. */
export const ACCEPTED_DEVIATIONS: readonly AcceptedDeviation[] = [
  {
    where: "CreateStream body",
    name: "Url",
    aspect: "format",
    ours: json("wss-url"),
    theirs: json("uri"),
    why: "Media Streams connect only over secure WebSockets: an absolute wss:// URL without a fragment (RFC 6455 §3), not any (relative) URI",
  },
  {
    where: "CreateStream body",
    name: "StatusCallback",
    aspect: "format",
    ours: json("http-url"),
    theirs: json("uri"),
    why: "Twilio calls the status callback over HTTP: an absolute http(s):// URL",
  },
  {
    where: "CreateStream body",
    name: "StatusCallbackMethod",
    aspect: "format",
    ours: undefined,
    theirs: json("http-method"),
    why: "Twilio's own annotation; the enum [GET, POST] says the same, and is compared",
  },
  ...perOperation((operation) => [
    {
      where: `${operation} body`,
      name: "(object)",
      aspect: "additionalProperties",
      ours: "false",
      theirs: undefined,
      why: "unknown fields are refused: Twilio ignores them, so a misspelt optional parameter would silently do nothing",
    },
    {
      where: `${operation} response`,
      name: "*",
      aspect: "required",
      ours: "true",
      theirs: undefined,
      why: "Twilio always sends every field of the Stream (null where it has none); the contract requires them so that a missing one is caught",
    },
    {
      where: `${operation} response`,
      name: "uri",
      aspect: "pattern",
      ours: json("^/2010-04-01/"),
      theirs: undefined,
      why: "uri is the resource's path, relative to https://api.twilio.com, as Twilio's description says",
    },
    {
      where: `${operation} error response`,
      name: "*",
      aspect: "present",
      ours: "true",
      theirs: undefined,
      why: "Twilio's document describes no error body; the contract pins the one Twilio sends (schemas/twilio-error.schema.json: code, message, more_info, status)",
    },
    {
      where: `${operation} error response`,
      name: "(object)",
      aspect: "media type",
      ours: json(["application/json"]),
      theirs: undefined,
      why: "the other half of the error body Twilio's document lacks: Twilio sends it as JSON",
    },
    {
      where: `${operation} responses`,
      name: "4*",
      aspect: "documented",
      ours: "true",
      theirs: undefined,
      why: "Twilio's document lists no error responses; the contract pins the errors Twilio sends (400, 401 with 20003, 404 with 20404, …)",
    },
  ]),
  {
    where: "UpdateStream path",
    name: "Sid",
    aspect: "minLength",
    ours: "1",
    theirs: undefined,
    why: "a Stream is stopped by its SID or its name; neither can be empty",
  },
];

/** Whether `deviation` covers a difference. */
export function covers(
  deviation: AcceptedDeviation,
  difference: { where: string; name: string; aspect: string; ours?: string; theirs?: string },
): boolean {
  const nameMatches = deviation.name.endsWith("*")
    ? difference.name.startsWith(deviation.name.slice(0, -1))
    : deviation.name === difference.name;
  return (
    deviation.where === difference.where &&
    nameMatches &&
    deviation.aspect === difference.aspect &&
    deviation.ours === difference.ours &&
    deviation.theirs === difference.theirs
  );
}
