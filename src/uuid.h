/* uuid.h - name-based UUIDs (RFC 4122 version 5, SHA-1).
 *
 * Other systems (a CASE server, an LMS) need identifiers that are UUIDs; ours are
 * dotted names such as CS.HW.L4.complexity.3. uuid_v5() derives one from the
 * other, always the same UUID for the same name, so an export made twice, or on
 * another machine, names every element alike and anyone can recompute it
 * (Python: uuid.uuid5(uuid.NAMESPACE_URL, name)). */
#ifndef ITSS_UUID_H
#define ITSS_UUID_H

#include <stddef.h>
#include <stdint.h>

#define UUID_STR_LEN 37   /* 36 characters and the NUL */

/* The namespace for names that are URLs or URNs (RFC 4122 appendix C). */
extern const uint8_t uuid_namespace_url[16];

/* SHA-1 of data[0..len) into out[20]. */
void uuid_sha1(const void *data, size_t len, uint8_t out[20]);

/* The version 5 UUID of name in namespace ns, written in lower-case hex with
 * hyphens into out (UUID_STR_LEN bytes). Returns out. */
char *uuid_v5(const uint8_t ns[16], const char *name, char out[UUID_STR_LEN]);

#endif
