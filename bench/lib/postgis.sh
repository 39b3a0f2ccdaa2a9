# Sourced by bench scripts: a throwaway PostgreSQL + PostGIS server on a local socket,
# stopped and removed on exit. Installs the Debian packages when missing.
#   postgis_start; pg -c "SELECT 1"; (stopped by the EXIT trap)
pg_bin=/usr/lib/postgresql/15/bin

postgis_start() {
  if [[ ! -x $pg_bin/initdb ]] || ! dpkg-query -W -f='${Status}' postgresql-15-postgis-3 2>/dev/null | grep -q "ok installed"; then
    echo "postgis: installing postgresql and postgis" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends postgresql postgresql-15-postgis-3 >&2
  fi
  pg_dir=$(mktemp -d /tmp/estate-pg.XXXXXX)
  chown postgres: "$pg_dir"
  runuser -u postgres -- "$pg_bin/initdb" -D "$pg_dir/data" -A trust >/dev/null
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/log" -w start \
    -o "-p 5499 -k $pg_dir -c listen_addresses='' -c shared_buffers=1GB -c work_mem=256MB" >/dev/null
  trap postgis_stop EXIT
  pg -c "CREATE EXTENSION postgis" >/dev/null
}

postgis_stop() {
  runuser -u postgres -- "$pg_bin/pg_ctl" -D "$pg_dir/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$pg_dir"
}

# psql against the throwaway server; arguments as for psql.
pg() { runuser -u postgres -- psql -h "$pg_dir" -p 5499 -d postgres -q -X -v ON_ERROR_STOP=1 "$@"; }

# Copies a register's located properties into PostGIS table `props`
# (id, owner_id, pt point, fp footprint or NULL), EPSG:27700.
postgis_load_register() {
  local register=$1 csv="$pg_dir/props.csv"
  ogr2ogr -f CSV "$csv" "$register" -dialect SQLite \
    -sql "SELECT id, owner_id, X(geom) AS x, Y(geom) AS y, AsText(footprint) AS wkt FROM properties WHERE geom IS NOT NULL"
  chown postgres: "$csv"
  pg <<SQL
DROP TABLE IF EXISTS props;
CREATE TABLE props (id bigint PRIMARY KEY, owner_id bigint, x float8, y float8, wkt text);
\copy props FROM '$csv' WITH (FORMAT csv, HEADER true)
ALTER TABLE props ADD COLUMN pt geometry(Point, 27700), ADD COLUMN fp geometry(MultiPolygon, 27700);
UPDATE props SET pt = ST_SetSRID(ST_MakePoint(x, y), 27700),
                 fp = CASE WHEN wkt <> '' THEN ST_Multi(ST_GeomFromText(wkt, 27700)) END;
CREATE INDEX ON props USING gist (pt);
ANALYZE props;
SQL
}
