/* form.h — request bodies that are not JSON: HTML-form encodings.
 *
 * Both parsers turn a body into a JSON object of text fields (the last of
 * repeated fields wins). application/x-www-form-urlencoded: '+' is a space,
 * %XX is a byte. multipart/form-data (RFC 7578): each part's name from its
 * Content-Disposition; a file part's value is its content when that is
 * UTF-8 text, else the placeholder "<binary N bytes>". Field values that are
 * not UTF-8 are refused.
 */
#ifndef VSPC_FORM_H
#define VSPC_FORM_H

#include <jansson.h>
#include <stdbool.h>
#include <stddef.h>

/* Decodes %XX and '+' of src[0..len) into a new NUL-terminated string
 * (caller frees); NULL on a malformed escape. */
char *form_unescape(const char *src, size_t len);

/* Parses an urlencoded body. NULL on malformed input, why says what. */
json_t *form_parse_urlencoded(const char *body, size_t len, char *why, size_t whylen);

/* Parses a multipart/form-data body; content_type carries the boundary. */
json_t *form_parse_multipart(const char *content_type, const char *body, size_t len,
                             char *why, size_t whylen);

#endif
