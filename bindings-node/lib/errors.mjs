// ParseError and the one way a tagged result of the engine becomes a value or a thrown error.

/** A payload the core rejected. `code` is one of ERROR_CODES; `field` names the field, or null. */
export class ParseError extends Error {
  constructor(code, message, field = null) {
    super(message === undefined ? String(code) : message);
    this.code = code;
    this.field = field === undefined ? null : field;
  }
}
Object.defineProperty(ParseError.prototype, 'name', {
  value: 'ParseError',
  writable: true,
  configurable: true,
  enumerable: false,
});

/** An error object `{code, field, message}` of the core as an instance of `ErrorClass`. */
export function errorOf(e, ErrorClass = ParseError) {
  return new ErrorClass(e.code, e.message, e.field);
}

/**
 * The value of a tagged JSON text from the engine (`{"ok":VALUE}`), or the error it holds
 * (`{"error":{code, field, message}}`) as an instance of `ErrorClass`, returned, not thrown.
 */
export function outcome(text, ErrorClass = ParseError) {
  const r = JSON.parse(text);
  return 'error' in r ? errorOf(r.error, ErrorClass) : r.ok;
}

/** The value of a tagged JSON text, or throws its error as an `ErrorClass`. */
export function settle(text, ErrorClass = ParseError) {
  const r = JSON.parse(text);
  if ('error' in r) throw errorOf(r.error, ErrorClass);
  return r.ok;
}
