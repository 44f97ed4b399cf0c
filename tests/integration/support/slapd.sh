# slapd.sh: a throwaway OpenLDAP server for the directory tests and the benchmark (sourced after
# common.sh). One slapd with one mdb database per suffix; each suffix has a reader
# (cn=reader,SUFFIX, password "secret") that may page through everything while plain searches
# stop at `sizelimit 500` (platform-facts.md).

# pp_slapd_config BASE SUFFIX...: writes BASE/slapd.conf (schema, the badgeHolder card schema,
# one database per suffix under BASE/db-N).
pp_slapd_config() {
  local base=$1 n=0 suffix
  shift
  cat >"$base/badge.schema" <<'SCHEMA'
attributetype ( 1.3.6.1.4.1.55555.1.1 NAME 'badgeNumber' DESC 'a card number, several per user'
  EQUALITY caseIgnoreMatch SUBSTR caseIgnoreSubstringsMatch
  SYNTAX 1.3.6.1.4.1.1466.115.121.1.15 )
objectclass ( 1.3.6.1.4.1.55555.2.1 NAME 'badgeHolder' SUP top AUXILIARY MAY badgeNumber )
SCHEMA
  {
    printf 'include /etc/ldap/schema/%s.schema\n' core cosine inetorgperson nis
    printf 'include %s/badge.schema\n' "$base"
    printf 'pidfile %s/slapd.pid\nmodulepath /usr/lib/ldap\nmoduleload back_mdb\nsizelimit 500\n' "$base"
    # StartTLS with a self-signed certificate for 127.0.0.1 (clients trust it through
    # LDAPTLS_CACERT=BASE/tls-cert.pem).
    if command -v openssl >/dev/null; then
      openssl req -x509 -newkey rsa:2048 -nodes -keyout "$base/tls-key.pem" -out "$base/tls-cert.pem" \
        -days 2 -subj /CN=127.0.0.1 -addext subjectAltName=IP:127.0.0.1 >/dev/null 2>&1 &&
        printf 'TLSCertificateFile %s/tls-cert.pem\nTLSCertificateKeyFile %s/tls-key.pem\n' "$base" "$base"
    fi
    for suffix in "$@"; do
      n=$((n + 1))
      mkdir -p "$base/db-$n"
      cat <<CONF
database mdb
maxsize 1073741824
suffix "$suffix"
rootdn "cn=admin,$suffix"
rootpw secret
directory $base/db-$n
index objectClass eq
index uid eq
limits dn.exact="cn=reader,$suffix" size.soft=500 size.hard=500 size.prtotal=unlimited
access to attrs=userPassword by anonymous auth by * none
access to * by * read
CONF
    done
  } >"$base/slapd.conf"
}

# pp_slapd_load BASE SUFFIX LDIF: bulk-loads an LDIF into the database of SUFFIX.
pp_slapd_load() {
  slapadd -f "$1/slapd.conf" -q -b "$2" -l "$3" || pp_fail "slapadd $3 failed"
}

# pp_slapd_start BASE PORT: starts slapd on 127.0.0.1:PORT, stopped at exit; waits until it answers.
pp_slapd_start() {
  local base=$1 port=$2
  slapd -f "$base/slapd.conf" -h "ldap://127.0.0.1:$port/" -d 0 >"$base/slapd.log" 2>&1 &
  local pid=$!
  echo "$pid" >"$base/slapd.pidnum"
  pp_on_exit "kill $pid 2>/dev/null; wait $pid 2>/dev/null"
  pp_wait_for 20 "slapd on port $port" ldapsearch -x -H "ldap://127.0.0.1:$port" -b "" -s base
}

# pp_slapd_stop BASE: stops the slapd that pp_slapd_start started (by its pid).
pp_slapd_stop() {
  local pid
  pid=$(cat "$1/slapd.pidnum")
  kill "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
}
