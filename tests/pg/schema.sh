#!/bin/bash
# schema.sh - the PostgreSQL schema (db/pg) is the SQLite schema's twin.
#
# A hub made by the real program (`mashdesk init`) on SQLite, and a fresh
# PostgreSQL database (tests/pg/lib.sh: a private server, stopped and
# removed however the test ends) with db/pg/*.sql applied in order, each
# in one transaction.  Both are described as the same lines:
#   table T
#   column T.C FAMILY null|notnull default=D   (integer, text, real, ...)
#   pk T (C,...)            unique T (C,...)
#   index T NAME (C,...) unique=0|1 partial=0|1
#   fk T (C,...) -> R (C,...) on delete ACTION
#   checks T N              (how many CHECK constraints)
#   trigger T NAME
#   row T|V|V|...           (every row of every table a migration fills
#                            with INSERT ... VALUES: the code tables)
# and every line one side has and the other lacks must be listed in
# db/pg/differences (the deliberate differences, in one place), or the
# test fails printing it.  A listed difference that no longer exists fails
# too.  The two migration directories must hold the same numbers and
# names, so a new SQLite migration without its PostgreSQL twin fails.
# A primary key column counts as NOT NULL on both sides (PostgreSQL makes
# it so; SQLite leaves a rowid table's text key nullable unless declared).
# The keys the program made (text_normalise, src/text.c) for names with
# accents, ligatures, punctuation, odd spaces and other scripts, and for
# every character its folding tables name, equal PostgreSQL's md_normalise
# of the same names.  And the search table finds a name by the accent-free
# start of a word.  Finally the server is stopped and its directory gone.
# TAP output.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
command -v sqlite3 >/dev/null 2>&1 || skip_all "sqlite3 not installed"
need_postgres
make_tmp
export TZ=UTC HOME="$e2e_tmp/home" LC_ALL=C
unset MASHDESK_DB MASHDESK_CONFIG
mkdir -p "$HOME"
hub=$e2e_tmp/hub.db
S=$e2e_tmp/sqlite.txt
P=$e2e_tmp/pg.txt
diffs=$src/db/pg/differences

# ---- the two directories ---------------------------------------------------
names() { (cd "$1" && ls | grep -E '^[0-9]{4}_.*\.sql$'); }
if [ "$(names "$src/db/migrations")" = "$(names "$src/db/pg")" ]; then
	ok "db/pg has a twin of every SQLite migration, same numbers and names"
else
	not_ok "db/pg has a twin of every SQLite migration, same numbers and names"
	diag "$(diff <(names "$src/db/migrations") <(names "$src/db/pg"))"
fi

# ---- the SQLite hub, by the real program -------------------------------------
H=("$MASHDESK" --db "$hub")
if "${H[@]}" init --training --name "Twin MASH" >/dev/null 2>"$e2e_tmp/err" &&
   "${H[@]}" user add sue --name "Sue Lindqvist" --agency csc --role supervisor \
	>/dev/null 2>>"$e2e_tmp/err"; then
	ok "mashdesk init makes an SQLite hub"
else
	not_ok "mashdesk init makes an SQLite hub"
	diag "$(head -c 400 "$e2e_tmp/err")"
	done_testing
fi
# Names whose keys the C code makes: accents, ligatures, punctuation,
# other scripts, odd spaces.
names_in=(
	"Zoë O'Brien-Núñez"
	"  ÆSIR   Þórsdóttir  "
	"Straße Œuvre Ĳssel"
	"Nguyễn Thị Ánh"
	"Ștefan Țurcanu"
	"Ωmega Ñandú (Jr.)"
	$'Ana\u00a0Lúcia\u2003Gómez\u200b'
	"Ελένη Παππά"
)
# And every character the folding tables name, 40 to a name (a name holds
# at most 200 bytes): ASCII, Latin-1 and Latin Extended-A and -B,
# combining marks, Greek, the Vietnamese letters, general punctuation and
# the spaces, byte-order mark and replacement character.
chars() {  # chars FROM TO: the characters U+FROM..U+TO (hex), 40 a line
	local cp end
	for ((cp = 16#$1; cp <= 16#$2; cp += 40)); do
		end=$((cp + 39 > 16#$2 ? 16#$2 : cp + 39))
		LC_ALL=C.UTF-8 printf '%b\n' "$(printf '\\U%08x' $(seq "$cp" "$end"))"
	done
}
while IFS= read -r line; do
	[ -n "$line" ] && names_in+=("Ab $line")
done < <(chars 21 7e; chars a0 24f; chars 300 36f; chars 370 3ff
	chars 1ea0 1eff; chars 2000 206f; chars 3000 3000; chars feff feff
	chars fffd fffd)
# Each name a child's, or the alias of the one before (fewer commands).
want=0 i=0
while [ "$i" -lt ${#names_in[@]} ]; do
	n=${names_in[i]} a="Ølstykke-Å"
	if [ $((i + 1)) -lt ${#names_in[@]} ] && [[ ${names_in[i + 1]} != *\;* ]]; then
		a="$a;${names_in[i + 1]}"
		i=$((i + 1))
	fi
	i=$((i + 1)) want=$((want + 1))
	"${H[@]}" --as sue referral add --child "$n" --dob 2016-02-02 \
		--concern "A worry" --aliases "$a" >/dev/null 2>>"$e2e_tmp/err" || break
done
check "the names are taken in" test "$(sqlite3 "$hub" 'SELECT count(*) FROM referral')" = "$want"

# ---- the PostgreSQL database, from db/pg ---------------------------------------
pg_start
pg_psql postgres -c 'CREATE DATABASE hub' >/dev/null
applied=1
for f in "$src"/db/pg/[0-9][0-9][0-9][0-9]_*.sql; do
	if ! pg_psql hub --single-transaction -f "$f" >"$e2e_tmp/out" 2>&1; then
		applied=0
		diag "$(basename "$f"): $(head -c 400 "$e2e_tmp/out")"
		break
	fi
done
if [ "$applied" = 1 ]; then
	ok "db/pg/*.sql apply in order to a fresh PostgreSQL database"
else
	not_ok "db/pg/*.sql apply in order to a fresh PostgreSQL database"
	done_testing
fi

# ---- describing each side --------------------------------------------------------
sq() { sqlite3 -batch -noheader -separator '|' "$hub" "$@"; }
pq() { pg_psql hub -At -F '|' -c "$@"; }

# Tables the migrations fill with rows of their own.
code_tables=$(grep -hoE '^INSERT INTO [a-z_]+ \([^)]*\) VALUES' \
	"$src"/db/migrations/*.sql | awk '{print $3}' | sort -u)

describe_sqlite() {
	local t n
	sq "SELECT 'table ' || name FROM sqlite_master
	    WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
	sq "SELECT 'column ' || m.name || '.' || p.name || ' ' ||
		CASE WHEN upper(p.type) LIKE '%INT%' THEN 'integer'
		     WHEN upper(p.type) LIKE '%CHAR%' OR upper(p.type) LIKE '%TEXT%'
		     THEN 'text'
		     WHEN upper(p.type) LIKE '%REAL%' OR upper(p.type) LIKE '%FLOA%'
		       OR upper(p.type) LIKE '%DOUB%' THEN 'real'
		     WHEN p.type = '' THEN 'untyped'
		     ELSE lower(p.type) END || ' ' ||
		CASE WHEN p.\"notnull\" OR p.pk > 0 THEN 'notnull' ELSE 'null' END ||
		' default=' || coalesce(p.dflt_value, '-')
	    FROM sqlite_master m, pragma_table_info(m.name) p
	    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'"
	sq "SELECT 'pk ' || m.name || ' (' ||
		(SELECT group_concat(name, ',') FROM
		   (SELECT name FROM pragma_table_info(m.name) WHERE pk > 0 ORDER BY pk))
		|| ')'
	    FROM sqlite_master m
	    WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
	      AND EXISTS (SELECT 1 FROM pragma_table_info(m.name) WHERE pk > 0)"
	sq "SELECT 'unique ' || m.name || ' (' ||
		(SELECT group_concat(name, ',') FROM
		   (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) || ')'
	    FROM sqlite_master m, pragma_index_list(m.name) il
	    WHERE m.type = 'table' AND il.origin = 'u'"
	sq "SELECT 'index ' || m.name || ' ' || il.name || ' (' ||
		(SELECT group_concat(name, ',') FROM
		   (SELECT name FROM pragma_index_info(il.name) ORDER BY seqno)) ||
		') unique=' || il.\"unique\" || ' partial=' || il.partial
	    FROM sqlite_master m, pragma_index_list(m.name) il
	    WHERE m.type = 'table' AND il.origin = 'c'"
	sq "SELECT 'fk ' || t || ' (' || group_concat(fr, ',') || ') -> ' || tb ||
		' (' || group_concat(tt, ',') || ') on delete ' || od
	    FROM (SELECT m.name AS t, f.id AS id, f.\"table\" AS tb,
	                 f.\"from\" AS fr, f.\"to\" AS tt, f.on_delete AS od
	          FROM sqlite_master m, pragma_foreign_key_list(m.name) f
	          WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'
	          ORDER BY m.name, f.id, f.seq)
	    GROUP BY t, id"
	# CHECKs counted in each table's SQL as SQLite keeps it (comments off).
	sq "SELECT name || char(2) || replace(sql, char(10), char(1))
	    FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
	      AND sql NOT LIKE 'CREATE VIRTUAL%'" |
	awk -F '\002' '{
		n = split($2, l, "\001"); body = ""
		for (i = 1; i <= n; i++) { sub(/--.*/, "", l[i]); body = body " " l[i] }
		body = tolower(body)
		c = gsub(/[^a-z_]check[ \t]*\(/, "", body)
		if (c > 0) print "checks " $1 " " c
	}'
	sq "SELECT 'trigger ' || tbl_name || ' ' || name FROM sqlite_master
	    WHERE type = 'trigger'"
	for t in $code_tables; do echo "SELECT 'row $t', * FROM $t;"; done |
		sqlite3 -batch -noheader -separator '|' "$hub"
}

describe_pg() {
	local t
	pq "SELECT 'table ' || table_name FROM information_schema.tables
	    WHERE table_schema = 'public' AND table_type = 'BASE TABLE'"
	pq "SELECT 'column ' || table_name || '.' || column_name || ' ' ||
		CASE WHEN data_type IN ('bigint', 'integer', 'smallint') THEN 'integer'
		     WHEN data_type IN ('text', 'character varying') THEN 'text'
		     WHEN data_type IN ('double precision', 'real', 'numeric') THEN 'real'
		     ELSE data_type END || ' ' ||
		CASE WHEN is_nullable = 'NO' THEN 'notnull' ELSE 'null' END ||
		' default=' || coalesce(regexp_replace(column_default,
		                        '::[a-z ]+\$', ''), '-')
	    FROM information_schema.columns c
	    WHERE table_schema = 'public'
	      AND table_name IN (SELECT table_name FROM information_schema.tables
	                         WHERE table_schema = 'public'
	                           AND table_type = 'BASE TABLE')"
	# Constraint columns, in key order.
	local cols="(SELECT string_agg(a.attname, ',' ORDER BY k.n)
	             FROM unnest(%s) WITH ORDINALITY k(attnum, n)
	             JOIN pg_attribute a ON a.attrelid = %s AND a.attnum = k.attnum)"
	# shellcheck disable=SC2059
	pq "SELECT CASE c.contype WHEN 'p' THEN 'pk ' ELSE 'unique ' END ||
		r.relname || ' (' || $(printf "$cols" c.conkey c.conrelid) || ')'
	    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
	    JOIN pg_namespace s ON s.oid = r.relnamespace AND s.nspname = 'public'
	    WHERE c.contype IN ('p', 'u')"
	# shellcheck disable=SC2059
	pq "SELECT 'index ' || r.relname || ' ' || ir.relname || ' (' ||
		$(printf "$cols" 'i.indkey::int2[]' i.indrelid) || ') unique=' ||
		i.indisunique::int || ' partial=' || (i.indpred IS NOT NULL)::int
	    FROM pg_index i JOIN pg_class r ON r.oid = i.indrelid
	    JOIN pg_class ir ON ir.oid = i.indexrelid
	    JOIN pg_namespace s ON s.oid = r.relnamespace AND s.nspname = 'public'
	    WHERE NOT EXISTS (SELECT 1 FROM pg_constraint c
	                      WHERE c.conindid = i.indexrelid
	                        AND c.conrelid = i.indrelid)"
	# shellcheck disable=SC2059
	pq "SELECT 'fk ' || r.relname || ' (' || $(printf "$cols" c.conkey c.conrelid) ||
		') -> ' || fr.relname || ' (' ||
		$(printf "$cols" c.confkey c.confrelid) || ') on delete ' ||
		CASE c.confdeltype WHEN 'a' THEN 'NO ACTION' WHEN 'r' THEN 'RESTRICT'
		     WHEN 'c' THEN 'CASCADE' WHEN 'n' THEN 'SET NULL'
		     WHEN 'd' THEN 'SET DEFAULT' END
	    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
	    JOIN pg_class fr ON fr.oid = c.confrelid
	    JOIN pg_namespace s ON s.oid = r.relnamespace AND s.nspname = 'public'
	    WHERE c.contype = 'f'"
	pq "SELECT 'checks ' || r.relname || ' ' || count(*)
	    FROM pg_constraint c JOIN pg_class r ON r.oid = c.conrelid
	    JOIN pg_namespace s ON s.oid = r.relnamespace AND s.nspname = 'public'
	    WHERE c.contype = 'c' GROUP BY r.relname"
	pq "SELECT 'trigger ' || r.relname || ' ' || t.tgname
	    FROM pg_trigger t JOIN pg_class r ON r.oid = t.tgrelid
	    JOIN pg_namespace s ON s.oid = r.relnamespace AND s.nspname = 'public'
	    WHERE NOT t.tgisinternal"
	for t in $code_tables; do echo "SELECT 'row $t', * FROM $t;"; done |
		pg_psql hub -At -F '|'
}

describe_sqlite 2>"$e2e_tmp/err.s" | sort -u >"$S"
describe_pg 2>"$e2e_tmp/err.p" | sort -u >"$P"
if [ -s "$e2e_tmp/err.s" ] || [ -s "$e2e_tmp/err.p" ]; then
	not_ok "both schemas can be described"
	diag "$(cat "$e2e_tmp/err.s" "$e2e_tmp/err.p" | head -c 600)"
else
	ok "both schemas can be described ($(wc -l <"$S") and $(wc -l <"$P") facts)"
fi

# What differs, as "sqlite: LINE" (only SQLite has it) and "pg: LINE".
{ comm -23 "$S" "$P" | sed 's/^/sqlite: /'
  comm -13 "$S" "$P" | sed 's/^/pg: /'; } | sort >"$e2e_tmp/differ"
grep -vE '^[[:space:]]*(#|$)' "$diffs" | sort -u >"$e2e_tmp/allowed"
comm -23 "$e2e_tmp/differ" "$e2e_tmp/allowed" >"$e2e_tmp/unexplained"

for kind in table column pk unique index fk checks trigger row; do
	case $kind in
	table) what="the same tables" ;;
	column) what="the same columns (name, type family, nullability, default)" ;;
	pk) what="the same primary keys" ;;
	unique) what="the same unique constraints" ;;
	index) what="the same indexes (columns, unique, partial)" ;;
	fk) what="the same foreign keys (columns, referenced table and columns, ON DELETE)" ;;
	checks) what="the same number of CHECK constraints per table" ;;
	trigger) what="the same triggers on the same tables" ;;
	row) what="the same rows in the code tables ($(echo $code_tables | wc -w) tables)" ;;
	esac
	grep -E "^(sqlite|pg): $kind " "$e2e_tmp/unexplained" >"$e2e_tmp/k"
	if [ -s "$e2e_tmp/k" ]; then
		not_ok "$what"
		diag "differs (not in db/pg/differences):" "$(cat "$e2e_tmp/k")"
	else
		ok "$what"
	fi
done
# Sanity: the descriptions are not empty where it matters.
check "the code tables hold rows on both sides" \
	test "$(grep -c '^row ' "$S")" -gt 50 -a "$(grep -c '^row ' "$P")" -gt 50

comm -13 "$e2e_tmp/differ" "$e2e_tmp/allowed" >"$e2e_tmp/stale"
if [ -s "$e2e_tmp/stale" ]; then
	not_ok "every deliberate difference in db/pg/differences still exists"
	diag "listed but no longer different:" "$(cat "$e2e_tmp/stale")"
else
	ok "every deliberate difference in db/pg/differences still exists ($(wc -l <"$e2e_tmp/allowed"))"
fi

# ---- md_normalise: the C function and the SQL one ----------------------------------
# The keys the program stored on SQLite, and PostgreSQL's for the same text.
sq "SELECT child_name || char(9) || name_key FROM referral
    UNION ALL SELECT alias || char(9) || alias_key FROM referral_alias" |
	sort -u >"$e2e_tmp/keys.c"
cut -f1 "$e2e_tmp/keys.c" >"$e2e_tmp/texts"
sed 's/.*/SELECT md_normalise($k$&$k$);/' "$e2e_tmp/texts" |
	pg_psql hub -At >"$e2e_tmp/pgkeys"
paste "$e2e_tmp/texts" "$e2e_tmp/pgkeys" >"$e2e_tmp/keys.pg"
sort -u -o "$e2e_tmp/keys.pg" "$e2e_tmp/keys.pg"
if [ -s "$e2e_tmp/keys.c" ] && cmp -s "$e2e_tmp/keys.c" "$e2e_tmp/keys.pg"; then
	ok "md_normalise in PostgreSQL keys names as the C code does ($(wc -l <"$e2e_tmp/keys.c") names)"
else
	not_ok "md_normalise in PostgreSQL keys names as the C code does"
	diag "$(diff "$e2e_tmp/keys.c" "$e2e_tmp/keys.pg" | head -20)"
fi
# The search document finds a name by a prefix without its accents.
got=$(pq "INSERT INTO referral_search (id, ref, child_name, aliases)
	  VALUES (1, 'MASH-000001', 'Zoë O''Brien-Núñez', 'Zed');
	  SELECT count(*) FROM referral_search
	  WHERE document @@ to_tsquery('simple', 'nun:* & zoe')" 2>&1)
check "the search table finds 'nun' and 'zoe' in Zoë O'Brien-Núñez" test "$got" = 1

# ---- the same writes accepted and refused ------------------------------------------
# tests/pg/behaviour.txt: each statement on both engines, in order.
beh=$src/tests/pg/behaviour.txt
grep -vE '^[[:space:]]*(#|$)' "$beh" >"$e2e_tmp/beh"
{
	echo 'CREATE FUNCTION pg_temp.try(s text) RETURNS text LANGUAGE plpgsql AS'
	echo "\$\$ BEGIN EXECUTE s; RETURN 'ok'; EXCEPTION WHEN others THEN RETURN 'no'; END \$\$;"
	while IFS=$'\t' read -r want sql; do
		case $want in
		=*) echo "$sql;" ;;
		*) echo "SELECT pg_temp.try(\$beh\$$sql\$beh\$);" ;;
		esac
	done <"$e2e_tmp/beh"
} | pg_psql hub -At >"$e2e_tmp/beh.pg" 2>&1
n=0 bad=0
while IFS=$'\t' read -r want sql <&3; do
	n=$((n + 1))
	pg=$(sed -n "${n}p" "$e2e_tmp/beh.pg")
	case $want in
	pg) lite=ok want=ok ;;
	lax) want=no
	     if sqlite3 -batch "$hub" "PRAGMA foreign_keys = ON; $sql" >/dev/null 2>&1
	     then lite=no; else lite="no (wanted: let through)"; fi ;;
	=*) want=${want#=}
	    lite=$(sqlite3 -batch -noheader "$hub" "$sql" 2>&1) ;;
	*) if sqlite3 -batch "$hub" "PRAGMA foreign_keys = ON; $sql" >/dev/null 2>&1
	   then lite=ok; else lite=no; fi ;;
	esac
	if [ "$lite" != "$want" ] || [ "$pg" != "$want" ]; then
		bad=$((bad + 1))
		diag "wanted $want, SQLite $lite, PostgreSQL $pg: $sql"
	fi
done 3<"$e2e_tmp/beh"
if [ "$bad" = 0 ] && [ "$n" -gt 0 ]; then
	ok "both engines accept and refuse the same $n writes of tests/pg/behaviour.txt, as it expects"
else
	not_ok "both engines accept and refuse the same writes of tests/pg/behaviour.txt ($bad of $n differ)"
fi

# ---- nothing left running ---------------------------------------------------------
dir=$PG_DIR
pg_cleanup
if pg_running "$dir"; then
	not_ok "the test's PostgreSQL is stopped"
	diag "$(pgrep -af -- "$dir")"
else
	ok "the test's PostgreSQL is stopped"
fi
check "and its directory removed" test ! -e "$dir"

done_testing
