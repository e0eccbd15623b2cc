/**
 * The two media types of the contract: CreateStream and UpdateStream send form bodies, every
 * answer is JSON. The engine reads and writes them; drift compares them with Twilio's document.
 */

/** The request body's media type (Twilio's OpenAPI document: `application/x-www-form-urlencoded`). */
export const FORM_CONTENT_TYPE = "application/x-www-form-urlencoded";

/** The answers' media type, without parameters (as OpenAPI documents name it). */
export const JSON_MEDIA_TYPE = "application/json";

/** The Content-Type of every answer, as Twilio sends it. */
export const JSON_CONTENT_TYPE = `${JSON_MEDIA_TYPE}; charset=utf-8`;
