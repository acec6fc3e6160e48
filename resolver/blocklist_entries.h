/* ward resolver: the hand-added blocklist entries (docs/dashboard.md,
 * "Blocklists") — names an administrator blocks or allows one by one on
 * the dashboard, kept in a small text file that is an ordinary ward
 * blocklist (resolver/blocklist_parse.h reads it into the set):
 *
 *   # comment                 kept as it is
 *   ads.example               blocked: the name and every name below it
 *   @@||good.example^         allowed: the name and every name below it
 *
 * This module is the file's text as a list of lines, sans-I/O: parse it,
 * add or remove a name, write the text back. Lines it does not write
 * itself (comments, other list formats an administrator typed into the
 * file) are kept verbatim, so a rewrite loses nothing. The text is read
 * through the bounds-checked cursor (codec/cursor.h); fuzzed by
 * fuzz/fuzz_blocklist_entries.c. */
#ifndef WARD_RESOLVER_BLOCKLIST_ENTRIES_H
#define WARD_RESOLVER_BLOCKLIST_ENTRIES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define BL_ENTRIES_MAX 10000          /* lines of the file (entries too) */
#define BL_ENTRIES_FILE_MAX (1u << 20) /* bytes of the file */
#define BL_ENTRY_NAME_MAX 253         /* text of a name, no final dot */

enum bl_entry_kind {
	BL_ENTRY_BLOCK,        /* "name" */
	BL_ENTRY_ALLOW,        /* "@@||name^" */
	BL_ENTRY_OTHER,        /* any other line, kept verbatim */
};

struct bl_entry {
	enum bl_entry_kind kind;
	char *text;            /* BLOCK/ALLOW: the name (lowercase, no final
	                        * dot); OTHER: the line without its newline */
};

struct bl_entries {
	struct bl_entry *v;
	size_t n, cap;
};

void bl_entries_init(struct bl_entries *e);
void bl_entries_free(struct bl_entries *e);
/* e (emptied first) from the file's bytes (need not end in a newline; a
 * NUL byte ends a line's text, a final CR is dropped). Writing e with
 * bl_entries_format and parsing that gives e again. 0, WARD_ENOMEM, or WARD_ELIMIT (more
 * than BL_ENTRIES_MAX lines or BL_ENTRIES_FILE_MAX bytes: e is empty). */
int bl_entries_parse(struct bl_entries *e, const uint8_t *buf, size_t len);
/* A name typed by a person, checked and normalised into out: blanks
 * around it and one final dot dropped, lowercased; letters, digits, '-'
 * and '_' in labels of 1..63 octets, at most BL_ENTRY_NAME_MAX octets.
 * Names a list never blocks (localhost, an IPv4 address) are refused.
 * 0, or WARD_EINVAL with *why set to a sentence for the person. */
int bl_entries_name(const char *in, char out[BL_ENTRY_NAME_MAX + 1],
                    const char **why);
/* The entry (BLOCK or ALLOW) for this normalised name, or -1. */
long bl_entries_find(const struct bl_entries *e, const char *name);
/* Add a normalised name. 0; 1 when an entry for it is already there
 * (nothing changed); WARD_ELIMIT, WARD_ENOMEM. */
int bl_entries_add(struct bl_entries *e, const char *name, bool allow);
/* Remove the entry for a normalised name: 0 or WARD_ENOTFOUND. */
int bl_entries_remove(struct bl_entries *e, const char *name);
/* Entries of a kind. */
size_t bl_entries_count(const struct bl_entries *e, enum bl_entry_kind k);
/* The file's text (a malloc()ed, NUL-terminated buffer), one line per
 * entry in order, each ending in '\n'. 0 or WARD_ENOMEM. */
int bl_entries_format(const struct bl_entries *e, char **out, size_t *len);
/* dst (emptied first) = a copy of src. 0 or WARD_ENOMEM (dst empty). */
int bl_entries_copy(struct bl_entries *dst, const struct bl_entries *src);

#endif
