/* cli_transfer.c - transfer out and transfer in: a child's case moving to
 * another hub.  The rules and the bundle are the data layer's
 * (hub_transfer.h); here are only the options. */
#include "cli_internal.h"

#include <stdio.h>
#include <string.h>
#include <sysexits.h>

#include "mashdesk/hub_transfer.h"

/* One line: tab-separated, each value made safe (a bundle's hub name is
 * the sending hub's text). */
static void print_fields(struct cli *c, const char *const *f, int n)
{
	for (int i = 0; i < n; i++) {
		if (i)
			putchar(c->out_tty ? ' ' : '\t');
		cli_put(c, f[i]);
	}
	putchar('\n');
}

static int do_out(struct cli *c, struct hub *hub, struct transfer_out *req)
{
	struct transfer_result res;
	if (hub_transfer_out(hub, req, &res, &c->err))
		return cli_fail_err(c);
	/* ref, where to, the file, its SHA-256 */
	const char *f[] = { res.ref, req->to_hub, req->path, res.hash };
	print_fields(c, f, 4);
	return 0;
}

int cli_cmd_transfer_out(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' },
		{ "reason", required_argument, NULL, 'R' },
		{ "output", required_argument, NULL, 'o' },
		{ 0, 0, 0, 0 }
	};
	struct transfer_out req = { 0 };
	int ch;
	while ((ch = cli_getopt(c, argc, argv, opts)) != -1) {
		switch (ch) {
		case 't': req.to_hub = optarg; break;
		case 'R': req.reason = optarg; break;
		case 'o': req.path = optarg; break;
		case CLI_HELP_SHOWN: return 0;
		default: return EX_USAGE;
		}
	}
	if (optind >= argc)
		return cli_usage(c, "REF is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	req.ref = argv[optind];
	if (!req.to_hub)
		return cli_usage(c, "--to is required: the receiving hub's name");
	if (!req.reason)
		return cli_usage(c, "--reason is required: why the case moves");
	if (!req.path)
		return cli_usage(c, "--output is required: the bundle file to write");
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	status = do_out(c, hub, &req);
	hub_close(hub);
	return status;
}

int cli_cmd_transfer_in(struct cli *c, int argc, char **argv)
{
	int ch;
	while ((ch = cli_getopt(c, argc, argv, NULL)) != -1)
		return ch == CLI_HELP_SHOWN ? 0 : EX_USAGE;
	if (optind >= argc)
		return cli_usage(c, "FILE is missing");
	if (optind + 1 < argc)
		return cli_usage(c, "unexpected argument '%s'", argv[optind + 1]);
	struct hub *hub;
	int status = cli_open_hub(c, &hub);
	if (status)
		return status;
	struct transfer_result res;
	if (hub_transfer_in(hub, argv[optind], &res, &c->err))
		status = cli_fail_err(c);
	else {
		/* the new contact, the sending hub, its ref there, SHA-256 */
		const char *f[] = { res.ref, res.from_hub, res.from_ref, res.hash };
		print_fields(c, f, 4);
	}
	hub_close(hub);
	return status;
}
