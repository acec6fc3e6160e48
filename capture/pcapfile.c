/* ward: read a pcap or pcapng file with libpcap and feed the capture core. */
#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "capture.h"
#include "error.h"

int capture_file_read(capture_t *cap, const char *path, char *err,
                      size_t errlen)
{
	char pcap_err[PCAP_ERRBUF_SIZE] = "";
	if (err && errlen)
		err[0] = '\0';
	pcap_t *p = pcap_open_offline_with_tstamp_precision(
		path, PCAP_TSTAMP_PRECISION_NANO, pcap_err);
	if (!p) {
		/* libpcap's own text often names the file already */
		if (err && errlen && pcap_err[0] && strstr(pcap_err, path))
			snprintf(err, errlen, "%s", pcap_err);
		else if (err && errlen)
			snprintf(err, errlen, "%s: %s", path,
			         pcap_err[0] ? pcap_err : "cannot open capture");
		return WARD_EPCAP;
	}
	int linktype = pcap_datalink(p);
	if (!capture_link_supported(linktype)) {
		const char *name = pcap_datalink_val_to_name(linktype);
		if (err && errlen)
			snprintf(err, errlen, "%s: link-layer type %s (%d) is not supported",
			         path, name ? name : "?", linktype);
		pcap_close(p);
		return WARD_ELINKTYPE;
	}
	int rc = 0;
	for (;;) {
		struct pcap_pkthdr *h;
		const u_char *data;
		int r = pcap_next_ex(p, &h, &data);
		if (r == 1) {
			capture_ts ts = { (int64_t)h->ts.tv_sec, (uint32_t)h->ts.tv_usec };
			capture_frame(cap, ts, linktype, data, h->caplen, h->len);
			continue;
		}
		if (r == PCAP_ERROR_BREAK)
			break; /* end of file */
		if (r == 0)
			continue; /* live-capture timeout; not for files */
		if (err && errlen)
			snprintf(err, errlen, "%s: %s", path, pcap_geterr(p));
		rc = WARD_ETRUNC;
		break;
	}
	pcap_close(p);
	capture_flush(cap);
	return rc;
}
