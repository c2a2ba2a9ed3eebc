/* utf8.h — client text on its way into a JSON answer.
 *
 * Error messages quote what a client sent (a parameter name, a property
 * path, a path segment), and a JSON body must be UTF-8: jansson refuses to
 * build a string that is not, and the answer would lose its message. These
 * helpers keep quoted text valid:
 *   utf8_valid         whether s is UTF-8 (jansson's own test);
 *   utf8_trim_partial  drops a character that truncation (snprintf into a
 *                      fixed buffer) split at the end of s;
 *   utf8_repair        replaces, in place, every byte that is not part of a
 *                      valid UTF-8 sequence by '?' (length unchanged);
 *   utf8_json_reason   jansson's reason for refusing a text, without its
 *                      "near '...'" part, which quotes the input cut to a
 *                      buffer, even inside a character.
 */
#ifndef VSPC_UTF8_H
#define VSPC_UTF8_H

#include <jansson.h>
#include <stdbool.h>

bool utf8_valid(const char *s);
void utf8_trim_partial(char *s);
void utf8_repair(char *s);
const char *utf8_json_reason(json_error_t *e);

#endif
