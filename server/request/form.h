/* form.h — request bodies that are not JSON: HTML-form encodings.
 *
 * Both parsers turn a body into a JSON object of text fields (the last of
 * repeated fields wins). application/x-www-form-urlencoded: '+' is a space,
 * %XX is a byte. multipart/form-data (RFC 7578): each part's name from its
 * Content-Disposition; a file part's value is its content when that is
 * UTF-8 text, else the placeholder "<binary N bytes>". Field values that are
 * not UTF-8 are refused, and so is a NUL byte (sent as %00 or raw) in a
 * field's name or in a value that is not a file's: C strings would cut the
 * text there, so "password=Password1%00x" must not read as "Password1".
 *
 * A refusal fills why with a sentence for a 400 and field with the name of
 * the field at fault (as sent when it cannot be decoded), or "" when that
 * is not UTF-8 text either or the fault is no single field's (no boundary,
 * a truncated body). Both are UTF-8, ready for a JSON error body.
 */
#ifndef VSPC_FORM_H
#define VSPC_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Decodes %XX and '+' of src[0..len) into a new NUL-terminated string
 * (caller frees); NULL on a malformed escape or a NUL byte in the result. */
char *form_unescape(const char *src, size_t len);

/* Parses an urlencoded body. NULL on malformed input (see above for why
 * and field). */
json_t *form_parse_urlencoded(const char *body, size_t len, char *field, size_t fieldlen,
                              char *why, size_t whylen);

/* Parses a multipart/form-data body; content_type carries the boundary. */
json_t *form_parse_multipart(const char *content_type, const char *body, size_t len,
                             char *field, size_t fieldlen, char *why, size_t whylen);

#endif
