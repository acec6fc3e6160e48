/* wardd: grouping held UDP answers for GSO sends (daemon/udp_gso.h). */
#include "daemon/udp_gso.h"

unsigned udp_gso_group(const size_t *len, const bool *same_prev, unsigned k,
                       bool gso, struct udp_gso_run *runs)
{
	unsigned nruns = 0;
	for (unsigned i = 0; i < k;) {
		size_t seg = len[i], bytes = seg;
		unsigned j = i + 1;
		if (gso && seg <= UDP_GSO_LEN_MAX)
			while (j < k && j - i < UDP_GSO_SEG_MAX && same_prev[j] &&
			       len[j] <= seg) {
				bytes += len[j];
				if (len[j++] < seg)
					break; /* a shorter one ends the run */
			}
		runs[nruns++] = (struct udp_gso_run){
			.first = i, .n = j - i, .bytes = bytes,
			.seg = (uint16_t)(j - i > 1 ? seg : 0),
		};
		i = j;
	}
	return nruns;
}
