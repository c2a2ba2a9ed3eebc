/* log.h — one-line log records on stderr: time, level, message.
 *
 * The level is set once at start (log_set_level) and read by every thread
 * afterwards; records are written with a single write() so that lines from
 * different threads never interleave.
 */
#ifndef VSPC_LOG_H
#define VSPC_LOG_H

#include <stdbool.h>

typedef enum log_level {
    LOG_ERROR = 0,
    LOG_WARN = 1,
    LOG_INFO = 2,
    LOG_DEBUG = 3,
} log_level;

/* Parses "error", "warn", "info", "debug" (any case); false if unknown. */
bool log_level_parse(const char *text, log_level *out);
const char *log_level_name(log_level level);
void log_set_level(log_level level);
bool log_enabled(log_level level);

void log_msg(log_level level, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)

#endif
