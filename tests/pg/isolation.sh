#!/bin/bash
# isolation.sh - many hubs on one PostgreSQL cluster, and nobody round
# mashdesk: each hub's `init` makes its own database, owned by the hub's
# own role and closed to every other role; a hub's role, credential or
# address never reaches another hub's data.  The credential is a client
# certificate whose key is root-owned, mode 0640, in the hub's group (as
# README, "PostgreSQL", deploys it): a login in that group (the setgid
# mashdesk) connects, a login outside it cannot, not even with psql, as a
# login outside the group cannot open a SQLite hub.  And the identity stays
# the Unix login: on a live hub --as is refused on PostgreSQL as on SQLite.
here=$(cd "$(dirname "$0")" && pwd)
src=${MASHDESK_SRCDIR:-$here/../..}
. "$src/tests/e2e/lib.sh"
. "$src/tests/pg/lib.sh"

need_mashdesk
need_postgres
command -v openssl >/dev/null 2>&1 || skip_all "openssl not installed"
[ "$(id -u)" = 0 ] || skip_all "needs root (a group for the hub's key, runuser)"
make_tmp
pg_start
M=$MASHDESK

# A certificate authority, the server's certificate and one client
# certificate per hub role (CN = the role), all for this test alone.
cd "$e2e_tmp" || exit 99
ssl() { openssl "$@" >/dev/null 2>&1 || { echo "Bail out! openssl $1 failed"; exit 1; }; }
ssl req -x509 -newkey rsa:2048 -nodes -keyout ca.key -out ca.crt -days 2 -subj "/CN=mashdesk test CA"
for cn in server hub_a hub_b; do
	ssl req -newkey rsa:2048 -nodes -keyout "$cn.key" -out "$cn.csr" -subj "/CN=$cn"
	ssl x509 -req -in "$cn.csr" -CA ca.crt -CAkey ca.key -CAcreateserial -out "$cn.crt" -days 2
done
cd - >/dev/null || exit 99
cp "$e2e_tmp/server.crt" "$e2e_tmp/server.key" "$e2e_tmp/ca.crt" "$PG_DIR/data/"
chown "$PG_TEST_USER" "$PG_DIR/data/server.key" "$PG_DIR/data/server.crt" "$PG_DIR/data/ca.crt"
chmod 600 "$PG_DIR/data/server.key"
# The hub roles: a client certificate over TLS on loopback and nothing
# else (the first matching pg_hba.conf line decides: these go first).
hba=$PG_DIR/data/pg_hba.conf
pg_as_owner sh -c "{ echo 'hostssl all hub_a,hub_b 127.0.0.1/32 cert'; echo 'host all hub_a,hub_b 0.0.0.0/0 reject'; cat '$hba'; } >'$hba.new' && mv '$hba.new' '$hba'"
pg_psql postgres -c "ALTER SYSTEM SET ssl = on" -c "ALTER SYSTEM SET ssl_cert_file = 'server.crt'" \
	-c "ALTER SYSTEM SET ssl_key_file = 'server.key'" -c "ALTER SYSTEM SET ssl_ca_file = 'ca.crt'" \
	-c "CREATE ROLE hub_a LOGIN CREATEDB" -c "CREATE ROLE hub_b LOGIN CREATEDB" \
	-c 'SELECT pg_reload_conf()' >/dev/null ||
	{ echo "Bail out! cannot set up TLS and the hub roles"; exit 1; }

# Each key root's, mode 0640, in a group of its own: the hub's group.
grp=mdiso$$
groupadd "$grp" || { echo "Bail out! groupadd failed"; exit 1; }
trap 'groupdel "$grp" 2>/dev/null; pg_exit' EXIT
for h in a b; do
	chown "root:$grp" "$e2e_tmp/hub_$h.key" && chmod 640 "$e2e_tmp/hub_$h.key"
done
chmod 755 "$e2e_tmp"
chmod 644 "$e2e_tmp"/*.crt
# url ROLE DATABASE: the address, naming the role's certificate and key.
url() {
	echo "postgresql://$1@127.0.0.1:$PG_PORT/$2?sslmode=verify-ca&sslrootcert=$e2e_tmp/ca.crt&sslcert=$e2e_tmp/$1.crt&sslkey=$e2e_tmp/$1.key"
}
url_a=$(url hub_a hub_a_db)
url_b=$(url hub_b hub_b_db)
# As the hub's group (what the setgid mashdesk has), as a login outside.
in_group() { runuser -u "$PG_TEST_USER" -g "$grp" -- "$@"; }
outside() { runuser -u "$PG_TEST_USER" -- "$@"; }

in_group "$M" --db "$url_a" init --training --name "Hub A" >/dev/null 2>"$e2e_tmp/err"
check "init makes hub A's database on the cluster ($(head -c 200 "$e2e_tmp/err"))" test $? -eq 0
in_group "$M" --db "$url_b" init --training --name "Hub B" >/dev/null 2>"$e2e_tmp/err"
check "init makes hub B's database on the cluster" test $? -eq 0
owners=$(pg_psql postgres -At -c "SELECT datname || ':' || pg_get_userbyid(datdba) || ':' || (datacl::text LIKE '%=c%' OR datacl::text LIKE '{=%') FROM pg_database WHERE datname LIKE 'hub_%' ORDER BY 1" | tr '\n' ' ')
check "each database is its hub role's, closed to the public ($owners)" \
	test "$owners" = "hub_a_db:hub_a:false hub_b_db:hub_b:false "

for h in a b; do
	u=$([ $h = a ] && echo "$url_a" || echo "$url_b")
	in_group "$M" --db "$u" user add sam --name "Sam Idris" --agency csc --role practitioner >/dev/null &&
	in_group "$M" --db "$u" --as sam referral add --child "Child of hub $h" --dob 2016-01-01 \
		--concern "Only hub $h holds this" >/dev/null
	check "hub $h takes a referral" test $? -eq 0
done
in_group "$M" --db "$url_a" --as sam queue >"$e2e_tmp/qa"
grep -q "Child of hub a" "$e2e_tmp/qa" && ! grep -q "Child of hub b" "$e2e_tmp/qa"
check "hub A's queue holds only hub A's referral" test $? -eq 0

# Hub B's credential at hub A's database: refused at the door.
cross=$(url hub_b hub_a_db)
in_group "$M" --db "$cross" --as sam queue >/dev/null 2>"$e2e_tmp/err"
code=$?
[ $code -eq 77 ] && grep -q "permission denied" "$e2e_tmp/err" && [ "$(wc -l <"$e2e_tmp/err")" -eq 1 ]
check "hub B's role cannot open hub A's database (77, one line: $(head -c 160 "$e2e_tmp/err"))" test $? -eq 0
in_group psql -X -At "$cross" -c "SELECT count(*) FROM referral" >/dev/null 2>&1
check "nor with psql" test $? -ne 0
# Nor can hub B's role, in its own database, name hub A's tables: a
# PostgreSQL query reaches one database only.
in_group psql -X -At "$url_b" -c "SELECT count(*) FROM hub_a_db.public.referral" >/dev/null 2>&1
check "nor from inside hub B's database (no cross-database reference)" test $? -ne 0
in_group "$M" --db "$cross" init --training >/dev/null 2>&1
check "nor init into it" test $? -ne 0
# Hub A's role as another role: the certificate names the role.
in_group psql -X -At "postgresql://hub_b@127.0.0.1:$PG_PORT/hub_b_db?sslmode=verify-ca&sslrootcert=$e2e_tmp/ca.crt&sslcert=$e2e_tmp/hub_a.crt&sslkey=$e2e_tmp/hub_a.key" -c "SELECT 1" >/dev/null 2>&1
check "hub A's certificate cannot log in as hub B's role" test $? -ne 0

# Outside the hub's group, no way in: the key cannot be read.
outside "$M" --db "$url_a" --as sam queue >/dev/null 2>"$e2e_tmp/err"
code=$?
check "a login outside the hub's group cannot open the hub (77: $(head -c 120 "$e2e_tmp/err"))" test $code -eq 77
outside psql -X -At "$url_a" -c "SELECT count(*) FROM referral" >/dev/null 2>&1
check "nor with psql" test $? -ne 0
# Without a certificate (a password, the Unix login): refused.
outside psql -X -At "postgresql://hub_a@127.0.0.1:$PG_PORT/hub_a_db?sslmode=disable" -c "SELECT 1" >/dev/null 2>&1
check "nor without one" test $? -ne 0
"$M" --db "postgresql://hub_a:alpha-secret@127.0.0.1:$PG_PORT/hub_a_db?sslmode=disable" --as sam queue >/dev/null 2>"$e2e_tmp/err"
! grep -q "alpha-secret" "$e2e_tmp/err"
check "a password in the address is never printed ($(head -c 120 "$e2e_tmp/err"))" test $? -eq 0

# The identity is the Unix login: on a live hub, --as is refused.
url_l=$(url hub_a hub_live)
in_group "$M" --db "$url_l" init --name "Live Hub" >/dev/null 2>&1 &&
	in_group "$M" --db "$url_l" user add sam --name "Sam Idris" --agency csc --role practitioner >/dev/null
check "a live hub on PostgreSQL" test $? -eq 0
in_group "$M" --db "$url_l" --as sam queue >/dev/null 2>"$e2e_tmp/err"
[ $? -eq 77 ] && grep -q "only on training hubs" "$e2e_tmp/err"
check "--as is refused on a live PostgreSQL hub (77)" test $? -eq 0
in_group "$M" --db "$url_l" --as sam referral add --child "Not Allowed" --dob 2016-01-01 --concern x >/dev/null 2>&1
n=$(pg_psql hub_live -At -c "SELECT count(*) FROM referral")
check "and changes nothing ($n referrals)" test "$n" = 0

done_testing
