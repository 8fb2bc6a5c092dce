#!/bin/sh
# arch.sh - the data layer keeps its shape (README, "Design"), read from the
# built objects and the sources:
#   1. no object outside the data layer references a sqlite3_* symbol;
#   2. no SQL text in a string literal outside the data layer;
#   3. the calls between the data layer's files form no cycle;
#   4. hub_db.o, the bottom, calls nothing else of the data layer but its
#      PostgreSQL engine, hub_db_pg.o, which calls nothing of it at all;
#   5. libpq (PQ*) only in hub_db_pg.o.
# The data layer is src/hub*.c, plus migrations.c (the schema embedded at
# build time).  The objects are the program's: its two libraries and its
# own (MASHDESK_OBJECTS, exported by `make check`); the unit tests and the
# benchmarks (tests/) are not among them: they may open a hub's file with
# SQLite directly, to tamper with it or to time SQLite itself.
here=$(cd "$(dirname "$0")" && pwd)
srcdir=${MASHDESK_SRCDIR:-$here/..}
. "$srcdir/tests/e2e/lib.sh"

need_mashdesk
command -v nm >/dev/null 2>&1 || skip_all "nm not installed"
command -v tsort >/dev/null 2>&1 || skip_all "tsort not installed"
build=$(cd "$(dirname "$(command -v "$MASHDESK")")" && pwd)
make_tmp

# The objects, relative to the build tree; without make, every one there.
objects=${MASHDESK_OBJECTS:-$(cd "$build" && ls migrations.o src/*.o screens/*.o 2>/dev/null)}

# name OBJECT: the module an object is ("src/libx_a-hub_db.o" -> hub_db).
name() {
	basename "$1" .o | sed 's/^.*-//'
}

# in_layer OBJECT: true for the data layer's objects.
in_layer() {
	case $(name "$1") in
	hub|hub_*|migrations) return 0 ;;
	esac
	return 1
}

layer=
outside=
missing=
for o in $objects; do
	if [ ! -f "$build/$o" ]; then
		missing="$missing $o"
	elif in_layer "$o"; then
		layer="$layer $o"
	else
		outside="$outside $o"
	fi
done
if [ -n "$missing" ]; then
	echo "Bail out! objects not built:$missing"
	exit 1
fi
check "the data layer has objects ($(echo $layer | wc -w))" test -n "$layer"
check "there are objects outside it ($(echo $outside | wc -w))" test -n "$outside"

# ---- 1. SQLite only in the data layer -------------------------------------
: >"$e2e_tmp/sqlite"
for o in $outside; do
	nm -u "$build/$o" | awk -v o="$o" '$2 ~ /^sqlite3_/ { print o ": " $2 }' \
		>>"$e2e_tmp/sqlite"
done
if [ -s "$e2e_tmp/sqlite" ]; then
	not_ok "no sqlite3_* symbol is referenced outside the data layer"
	diag "$(cat "$e2e_tmp/sqlite")"
else
	ok "no sqlite3_* symbol is referenced outside the data layer"
fi

# ---- 2. SQL only in the data layer -----------------------------------------
# literals FILE...: "file:line: text" for each string literal's text, with
# comments and character constants left out.
literals() {
	awk '
	FNR == 1 { state = "code" }
	{
		line = $0
		out = ""
		for (i = 1; i <= length(line); i++) {
			c = substr(line, i, 1)
			two = substr(line, i, 2)
			if (state == "comment") {
				if (two == "*/") { state = "code"; i++ }
			} else if (state == "string") {
				if (c == "\\") { out = out two; i++ }
				else if (c == "\"") {
					print FILENAME ":" FNR ": " out
					out = ""
					state = "code"
				} else out = out c
			} else if (state == "char") {
				if (c == "\\") i++
				else if (c == "'\''") state = "code"
			} else if (two == "/*") { state = "comment"; i++ }
			else if (two == "//") break
			else if (c == "\"") state = "string"
			else if (c == "'\''") state = "char"
		}
		if (state == "string" && out != "")
			print FILENAME ":" FNR ": " out
	}' "$@"
}
sources=
for f in "$srcdir"/src/*.c "$srcdir"/src/*.h "$srcdir"/screens/*.c \
	"$srcdir"/screens/*.h "$srcdir"/include/mashdesk/*.h; do
	case $(basename "$f") in
	hub.[ch]|hub_*) ;;   # the data layer
	*) sources="$sources $f" ;;
	esac
done
literals $sources |
	grep -E '(^|[^A-Za-z_])(SELECT [^ ]|INSERT (OR [A-Z]+ )?INTO |UPDATE [a-z_]+( |$)|DELETE FROM |PRAGMA [a-z_])' \
	>"$e2e_tmp/sql"
if [ -s "$e2e_tmp/sql" ]; then
	not_ok "no SQL text outside the data layer"
	diag "$(sed "s|^$srcdir/||" "$e2e_tmp/sql")"
else
	ok "no SQL text outside the data layer ($(echo $sources | wc -w) files)"
fi

# ---- 3. no cycle among the data layer's files --------------------------------
# "definer user symbol" for every symbol one data-layer object uses and
# another defines.
for o in $layer; do
	nm -g --defined-only "$build/$o" |
		awk -v n="$(name "$o")" 'NF == 3 && $2 ~ /[A-TV-Z]/ { print "D", n, $3 }'
	nm -u "$build/$o" | awk -v n="$(name "$o")" '{ print "U", n, $2 }'
done | awk '
	$1 == "D" { def[$3] = $2; next }
	{ use[++n] = $2 " " $3 }
	END {
		for (i = 1; i <= n; i++) {
			split(use[i], u, " ")
			if ((u[2] in def) && def[u[2]] != u[1])
				print def[u[2]], u[1], u[2]
		}
	}' | sort -u >"$e2e_tmp/edges"
awk '{ print $1, $2 }' "$e2e_tmp/edges" | sort -u >"$e2e_tmp/pairs"
for o in $layer; do
	echo "$(name "$o") $(name "$o")"   # every file, even one with no edge
done >>"$e2e_tmp/pairs"
if tsort "$e2e_tmp/pairs" >"$e2e_tmp/order" 2>"$e2e_tmp/loop"; then
	ok "the data layer's files call each other without a cycle"
	diag "bottom to top: $(tr '\n' ' ' <"$e2e_tmp/order")"
else
	not_ok "the data layer's files call each other without a cycle"
	diag "a cycle among these files:" \
		"$(sed -n 's/^tsort: //p' "$e2e_tmp/loop" | grep -v 'input contains a loop' |
		   tr '\n' ' ')"
	# The calls on the cycle, to say which to move.
	sed -n 's/^tsort: //p' "$e2e_tmp/loop" | grep -v 'loop' >"$e2e_tmp/members"
	awk 'NR == FNR { m[$1] = 1; next } ($1 in m) && ($2 in m) {
		print "  " $2 " calls " $3 " (" $1 ")" }' \
		"$e2e_tmp/members" "$e2e_tmp/edges" | while read -r line; do diag "$line"; done
fi

# ---- 4. hub_db.o at the bottom -------------------------------------------------
# hub_db_pg.o is the engine beneath hub_db.o (PostgreSQL's twin of the
# SQLite library): hub_db.o may call it, and it calls nothing of the layer.
if ! echo "$layer" | grep -q 'hub_db\.o'; then
	not_ok "hub_db.o calls nothing else of the data layer (no hub_db.o)"
else
	awk '$2 == "hub_db" && $1 != "hub_db_pg" {
		print "hub_db.o calls " $3 " (" $1 ".o)" }
	     $2 == "hub_db_pg" { print "hub_db_pg.o calls " $3 " (" $1 ".o)" }' \
		"$e2e_tmp/edges" >"$e2e_tmp/db"
	if [ -s "$e2e_tmp/db" ]; then
		not_ok "hub_db.o calls nothing else of the data layer but hub_db_pg.o, which calls none of it"
		diag "$(cat "$e2e_tmp/db")"
	else
		ok "hub_db.o calls nothing else of the data layer but hub_db_pg.o, which calls none of it"
	fi
fi

# ---- 5. libpq in the PostgreSQL engine only ----------------------------------
: >"$e2e_tmp/libpq"
for o in $objects; do
	[ "$(name "$o")" = hub_db_pg ] && continue
	nm -u "$build/$o" | awk -v o="$o" '$2 ~ /^PQ/ { print o ": " $2 }' \
		>>"$e2e_tmp/libpq"
done
if [ -s "$e2e_tmp/libpq" ]; then
	not_ok "no libpq (PQ*) symbol is referenced outside hub_db_pg.o"
	diag "$(cat "$e2e_tmp/libpq")"
else
	ok "no libpq (PQ*) symbol is referenced outside hub_db_pg.o"
fi

done_testing
