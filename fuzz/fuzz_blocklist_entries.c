/* Fuzz harness: the dashboard's hand-added blocklist names
 * (resolver/blocklist_entries.c). The input is the file's bytes. Checks:
 * every entry's name passes the name check unchanged, written back and
 * read again the file gives the same entries, the written text read by
 * the list parser (resolver/blocklist_parse.c) has no bad line where an
 * entry is and holds every entry with its meaning, and removing then
 * adding an entry's name keeps it findable. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "resolver/blocklist.h"
#include "resolver/blocklist_entries.h"
#include "resolver/blocklist_parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bl_entries e, again;
	bl_entries_init(&e);
	bl_entries_init(&again);
	if (bl_entries_parse(&e, data, size) != 0)
		return 0;
	char out[BL_ENTRY_NAME_MAX + 1];
	for (size_t i = 0; i < e.n; i++) {
		if (e.v[i].kind == BL_ENTRY_OTHER)
			continue;
		if (bl_entries_name(e.v[i].text, out, NULL) != 0 ||
		    strcmp(out, e.v[i].text))
			__builtin_trap();
	}
	char *text;
	size_t len;
	if (bl_entries_format(&e, &text, &len) != 0)
		goto done;
	if (bl_entries_parse(&again, (const uint8_t *)text, len) != 0 ||
	    again.n != e.n)
		__builtin_trap();
	for (size_t i = 0; i < e.n; i++)
		if (again.v[i].kind != e.v[i].kind ||
		    strcmp(again.v[i].text, e.v[i].text))
			__builtin_trap();
	blocklist_set *s = blocklist_set_new(7);
	if (s && blocklist_parse(s, "fuzz", (const uint8_t *)text, len, false,
	                         NULL, NULL, NULL) == 0) {
		for (size_t i = 0, k = 0; i < e.n && k < 64; i++) {
			if (e.v[i].kind == BL_ENTRY_OTHER)
				continue;
			k++;
			dns_name n, root;
			dns_name_root(&root);
			if (dns_name_from_text(&n, e.v[i].text, strlen(e.v[i].text),
			                       &root) != 0)
				__builtin_trap();
			unsigned want = e.v[i].kind == BL_ENTRY_ALLOW ? BL_ALLOW_SUB
			                                              : BL_BLOCK_SUB;
			if (!(blocklist_set_flags(s, &n) & want))
				__builtin_trap();
		}
	}
	blocklist_set_free(s);
	free(text);
	for (size_t i = 0; i < e.n && i < 8; i++) {
		if (e.v[i].kind == BL_ENTRY_OTHER)
			continue;
		char name[BL_ENTRY_NAME_MAX + 1];
		strcpy(name, e.v[i].text);
		if (bl_entries_remove(&e, name) != 0 ||
		    bl_entries_find(&e, name) != -1)
			__builtin_trap();
		if (bl_entries_add(&e, name, true) != 0 ||
		    bl_entries_find(&e, name) < 0)
			__builtin_trap();
		break;
	}
done:
	bl_entries_free(&again);
	bl_entries_free(&e);
	return 0;
}
