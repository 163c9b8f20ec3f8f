package searchbench

import (
	"context"
	"database/sql"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"

	_ "github.com/jackc/pgx/v5/stdlib" // database/sql driver "pgx"

	"github.com/essor-ess/essor/internal/domain"
	"github.com/essor-ess/essor/internal/refdata"
)

// Postgres is the PostgreSQL full-text baseline: a French configuration with unaccent inside it (so that "à" is
// folded before the French stop list and stemmer see it, and dropped), a GIN index on a weighted tsvector (name
// A, offer titles and the CPV labels of their codes B, descriptions C), ts_rank ordering, the commune and CPV
// filters as EXISTS over the offers (coverage resolved at query time like Essor: country, zones, radius), and the
// facets counted over the whole result set with GROUP BY, in one round trip.
type Postgres struct {
	db      *sql.DB
	admin   *sql.DB
	name    string
	cat     *refdata.Catalog
	anyWord bool
}

var postgresSchema = []string{
	`CREATE EXTENSION IF NOT EXISTS unaccent`,
	`CREATE TEXT SEARCH CONFIGURATION fr_unaccent (COPY = french)`,
	`ALTER TEXT SEARCH CONFIGURATION fr_unaccent ALTER MAPPING FOR hword, hword_part, word WITH unaccent, french_stem`,
	`CREATE TABLE structures (id text PRIMARY KEY, name text NOT NULL, family text NOT NULL, inclusion text[] NOT NULL,
		commune text NOT NULL, lat float8, lon float8, first_time bool NOT NULL, divisions text[] NOT NULL, tsv tsvector NOT NULL)`,
	`CREATE TABLE offers (structure_id text NOT NULL REFERENCES structures(id), kind text NOT NULL, scope text NOT NULL,
		zones text[] NOT NULL, radius_km float8 NOT NULL, cpv text[] NOT NULL)`,
}

var postgresIndexes = []string{
	`CREATE INDEX structures_tsv ON structures USING gin (tsv)`,
	`CREATE INDEX offers_structure ON offers (structure_id)`,
	`CREATE INDEX offers_cpv ON offers USING gin (cpv)`,
	`ANALYZE`,
}

// NewPostgres creates a new database on the server at serverURL (a postgres:// URL of any database there) and the
// baseline's schema. anyWord ORs the query's words (ranked by ts_rank) instead of plainto_tsquery's AND.
func NewPostgres(ctx context.Context, serverURL string, anyWord bool) (*Postgres, error) {
	admin, err := sql.Open("pgx", serverURL)
	if err != nil {
		return nil, err
	}
	name := fmt.Sprintf("essor_searchbench_%d", rand.Uint32())
	if _, err := admin.ExecContext(ctx, "CREATE DATABASE "+name); err != nil {
		admin.Close()
		return nil, fmt.Errorf("searchbench: create database: %w", err)
	}
	u, _ := url.Parse(serverURL)
	u.Path = "/" + name
	db, err := sql.Open("pgx", u.String())
	if err != nil {
		return nil, err
	}
	db.SetMaxOpenConns(32)
	db.SetMaxIdleConns(32)
	p := &Postgres{db: db, admin: admin, name: name, cat: refdata.Default(), anyWord: anyWord}
	for _, s := range postgresSchema {
		if _, err := db.ExecContext(ctx, s); err != nil {
			p.Close()
			return nil, fmt.Errorf("searchbench: %s: %w", s, err)
		}
	}
	return p, nil
}

// Close drops the database.
func (p *Postgres) Close() error {
	_ = p.db.Close()
	_, err := p.admin.ExecContext(context.Background(), "DROP DATABASE IF EXISTS "+p.name+" WITH (FORCE)")
	_ = p.admin.Close()
	return err
}

// Load inserts structures (in batches of 500 rows) and, when last is true, builds the indexes and analyses.
func (p *Postgres) Load(ctx context.Context, structures []domain.Structure, last bool) error {
	for from := 0; from < len(structures); from += 500 {
		if err := p.insert(ctx, structures[from:min(from+500, len(structures))]); err != nil {
			return err
		}
	}
	if !last {
		return nil
	}
	for _, s := range postgresIndexes {
		if _, err := p.db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("searchbench: %s: %w", s, err)
		}
	}
	return nil
}

func (p *Postgres) insert(ctx context.Context, batch []domain.Structure) error {
	var sb, ob strings.Builder
	var sargs, oargs []any
	sb.WriteString("INSERT INTO structures VALUES ")
	ob.WriteString("INSERT INTO offers VALUES ")
	for i, s := range batch {
		var titles, texts []string
		texts = append(texts, s.Brand, s.Description, strings.Join(s.Labels, " "))
		var divisions []string
		for _, o := range s.Offers {
			titles = append(titles, o.Title)
			texts = append(texts, o.Description)
			var prefixes []string
			for _, c := range o.CPVCodes {
				if k, ok := p.cat.CPV(c); ok {
					titles = append(titles, k.Label)
				}
				prefixes = append(prefixes, cpvPrefixes(c)...)
				if d := c[:2] + "000000"; !contains(divisions, d) {
					divisions = append(divisions, d)
				}
			}
			if len(oargs) > 0 {
				ob.WriteByte(',')
			}
			n := len(oargs)
			fmt.Fprintf(&ob, "($%d,$%d,$%d,$%d,$%d,$%d)", n+1, n+2, n+3, n+4, n+5, n+6)
			oargs = append(oargs, s.ID, string(o.Kind), string(o.Area.Scope), nonNil(o.Area.Zones), o.Area.RadiusKM, nonNil(prefixes))
		}
		if i > 0 {
			sb.WriteByte(',')
		}
		n := len(sargs)
		fmt.Fprintf(&sb, "($%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,$%d,"+
			"setweight(to_tsvector('fr_unaccent',$%d),'A') || setweight(to_tsvector('fr_unaccent',$%d),'B') || setweight(to_tsvector('fr_unaccent',$%d),'C'))",
			n+1, n+2, n+3, n+4, n+5, n+6, n+7, n+8, n+9, n+10, n+11, n+12)
		var lat, lon any
		if s.Location != nil {
			lat, lon = s.Location.Lat, s.Location.Lon
		}
		sargs = append(sargs, s.ID, s.Name, string(s.ESSFamily), nonNil(s.InclusionKinds), s.Commune, lat, lon,
			s.PublicAwardsCount == 0, nonNil(divisions), s.Name, strings.Join(titles, "\n"), strings.Join(texts, "\n"))
	}
	if _, err := p.db.ExecContext(ctx, sb.String(), sargs...); err != nil {
		return fmt.Errorf("searchbench: insert structures: %w", err)
	}
	if len(oargs) > 0 {
		if _, err := p.db.ExecContext(ctx, ob.String(), oargs...); err != nil {
			return fmt.Errorf("searchbench: insert offers: %w", err)
		}
	}
	return nil
}

func nonNil(xs []string) []string {
	if xs == nil {
		return []string{}
	}
	return xs
}

// Response is what every engine returns for a Request: the page's ids, the total and the facet counts.
type Response struct {
	IDs    []string
	Total  int
	Facets map[string]map[string]int
}

// Search runs r: text (ts_rank order) or none (name order), commune, CPV and near filters, facets.
func (p *Postgres) Search(ctx context.Context, r Request) (Response, error) {
	t := strings.TrimSpace(r.Text)
	if t == "" {
		return p.run(ctx, r, "", "0::real", "name, id", nil)
	}
	tsq := "plainto_tsquery('fr_unaccent', $1)"
	if p.anyWord {
		tsq = "replace(" + tsq + "::text, '&', '|')::tsquery"
	}
	return p.run(ctx, r, tsq, "ts_rank(s.tsv, q)", "r DESC, id", []any{t})
}

func (p *Postgres) run(ctx context.Context, r Request, tsq, rank, order string, args []any) (Response, error) {
	var where []string
	if tsq != "" {
		where = append(where, "s.tsv @@ q")
	}
	arg := func(v any) string { args = append(args, v); return fmt.Sprintf("$%d", len(args)) }
	var offerConds []string
	if r.Commune != "" {
		c, ok := p.cat.Commune(r.Commune)
		if !ok {
			return Response{}, fmt.Errorf("searchbench: unknown commune %s", r.Commune)
		}
		zones := []string{"commune:" + c.INSEE, "departement:" + c.Department, "region:" + c.Region, "epci:" + c.EPCI}
		offerConds = append(offerConds, fmt.Sprintf(`(o.scope = 'country' OR o.zones && %s OR (o.scope = 'radius' AND %s <= o.radius_km))`,
			arg(zones), haversineSQL("s.lat", "s.lon", arg(c.Lat), arg(c.Lon))))
	}
	if len(r.CPV) > 0 {
		var roots []string
		for _, c := range r.CPV {
			roots = append(roots, cpvRoot(c))
		}
		offerConds = append(offerConds, "o.cpv && "+arg(roots))
	}
	if len(offerConds) > 0 {
		where = append(where, "EXISTS (SELECT 1 FROM offers o WHERE o.structure_id = s.id AND "+strings.Join(offerConds, " AND ")+")")
	}
	if r.Near != nil && r.RadiusKM > 0 {
		where = append(where, haversineSQL("s.lat", "s.lon", arg(r.Near.Lat), arg(r.Near.Lon))+" <= "+arg(r.RadiusKM))
	}
	from := "structures s"
	if tsq != "" {
		from = "structures s, (SELECT " + tsq + " AS q) qq"
	}
	cond := "TRUE"
	if len(where) > 0 {
		cond = strings.Join(where, " AND ")
	}
	size := r.Size
	if size == 0 {
		size = 20
	}
	sqlText := fmt.Sprintf(`WITH m AS (SELECT s.id, s.name, s.family, s.inclusion, s.divisions, %s AS r FROM %s WHERE %s)
SELECT 'hit', id, 0 FROM (SELECT id FROM m ORDER BY %s LIMIT %d) h
UNION ALL SELECT 'total', '', count(*) FROM m`, rank, from, cond, order, size)
	if r.Facets {
		sqlText += `
UNION ALL SELECT 'legal_family', family, count(*) FROM m GROUP BY family
UNION ALL SELECT 'inclusion', i, count(*) FROM m, unnest(m.inclusion) i GROUP BY i
UNION ALL SELECT 'cpv_division', d, count(*) FROM m, unnest(m.divisions) d GROUP BY d`
	}
	rows, err := p.db.QueryContext(ctx, sqlText, args...)
	if err != nil {
		return Response{}, fmt.Errorf("searchbench: %w", err)
	}
	defer rows.Close()
	res := Response{Facets: map[string]map[string]int{}}
	for rows.Next() {
		var kind, value string
		var n int
		if err := rows.Scan(&kind, &value, &n); err != nil {
			return Response{}, err
		}
		switch kind {
		case "hit":
			res.IDs = append(res.IDs, value)
		case "total":
			res.Total = n
		default:
			if res.Facets[kind] == nil {
				res.Facets[kind] = map[string]int{}
			}
			res.Facets[kind][value] = n
		}
	}
	return res, rows.Err()
}

func haversineSQL(lat, lon, lat0, lon0 string) string {
	return fmt.Sprintf(`(12742 * asin(sqrt(power(sin(radians(%[3]s::float8 - %[1]s) / 2), 2) + cos(radians(%[1]s)) * cos(radians(%[3]s::float8)) * power(sin(radians(%[4]s::float8 - %[2]s) / 2), 2))))`, lat, lon, lat0, lon0)
}

// Judge runs a judged query and returns the first page's ids.
func (p *Postgres) Judge(q JudgedQuery) ([]string, error) {
	res, err := p.Search(context.Background(), Request{Text: q.Text, Commune: q.Commune, CPV: q.CPV, Size: Cutoff})
	return res.IDs, err
}
