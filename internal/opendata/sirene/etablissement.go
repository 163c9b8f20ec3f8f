package sirene

import (
	"errors"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/essor-ess/essor/internal/opendata"
)

// Etablissement is one row of StockEtablissement, as published. Row is its 1-based data row number in the
// file: pass the last committed one as Options.SkipRows to resume.
type Etablissement struct {
	Row                     int64
	SIRET, SIREN, NIC       string
	Etat                    string // A active, F fermé
	StatutDiffusion         string // O diffusible, P partially diffusible
	Siege                   bool
	DateCreation            string
	Enseignes               []string
	DenominationUsuelle     string
	ActivitePrincipale      string // NAF rév. 2 with its dot, e.g. 88.99B
	NomenclatureActivite    string
	ActivitePrincipaleNAF25 string
	TrancheEffectifs        string
	AnneeEffectifs          string
	CaractereEmployeur      string
	ComplementAdresse       string
	NumeroVoie              string
	IndiceRepetition        string
	TypeVoie                string
	LibelleVoie             string
	DistributionSpeciale    string
	CodePostal              string
	LibelleCommune          string
	CodeCedex               string
	LibelleCedex            string
	CodeCommune             string // INSEE COG code, not the postal code
	IdentifiantAdresse      string // BAN address id
	// CoordonneeLambertX and Y are Lambert-93 metres in metropolitan France (overseas uses local projections).
	CoordonneeLambertX, CoordonneeLambertY *float64
}

// Masked reports whether the establishment's address must not be published: SIRENE marks non-diffusion with
// statutDiffusion P (formerly N), and anything but O is treated the same way.
func (e *Etablissement) Masked() bool { return e.StatutDiffusion != "O" }

// Mask blanks what non-diffusion hides (address and coordinates); the SIRET and the commune stay.
func (e *Etablissement) Mask() {
	e.ComplementAdresse, e.NumeroVoie, e.IndiceRepetition, e.TypeVoie, e.LibelleVoie = "", "", "", "", ""
	e.DistributionSpeciale, e.CodeCedex, e.LibelleCedex, e.IdentifiantAdresse = "", "", "", ""
	e.CoordonneeLambertX, e.CoordonneeLambertY = nil, nil
}

// Position returns the WGS84 position from the Lambert-93 coordinates, when there are some, the commune is
// metropolitan (overseas communes, 97x/98x, use other projections) and the point falls in Lambert-93's area.
func (e *Etablissement) Position() (lat, lon float64, ok bool) {
	if e.CoordonneeLambertX == nil || e.CoordonneeLambertY == nil || strings.HasPrefix(e.CodeCommune, "97") ||
		strings.HasPrefix(e.CodeCommune, "98") {
		return 0, 0, false
	}
	x, y := *e.CoordonneeLambertX, *e.CoordonneeLambertY
	if !opendata.InLambert93Bounds(x, y) {
		return 0, 0, false
	}
	lat, lon = opendata.Lambert93ToWGS84(x, y)
	return lat, lon, true
}

// Filter selects establishments. Nil functions keep everything; MaskSIREN names the legal units that are
// themselves partially diffusible, whose establishments are then masked too.
type Filter struct {
	KeepSIREN   func(siren string) bool
	KeepCommune func(codeCommune string) bool
	MaskSIREN   func(siren string) bool
}

type etablissementColumns struct {
	siren, nic, siret, statut, creation, tranche, annee, siege, complement, numero, indice, typeVoie, libelleVoie,
	codePostal, libelleCommune, distribution, commune, codeCedex, libelleCedex, adresseID, lambertX, lambertY, etat,
	enseigne1, enseigne2, enseigne3, denomination, activite, nomenclature, employeur, naf25 int
}

func (s *stock) etablissementColumns() etablissementColumns {
	c := s.column
	return etablissementColumns{
		siren: c("siren"), nic: c("nic"), siret: c("siret"), statut: c("statutDiffusionEtablissement"),
		creation: c("dateCreationEtablissement"), tranche: c("trancheEffectifsEtablissement"),
		annee: c("anneeEffectifsEtablissement"), siege: c("etablissementSiege"),
		complement: c("complementAdresseEtablissement"), numero: c("numeroVoieEtablissement"),
		indice: c("indiceRepetitionEtablissement"), typeVoie: c("typeVoieEtablissement"),
		libelleVoie: c("libelleVoieEtablissement"), codePostal: c("codePostalEtablissement"),
		libelleCommune: c("libelleCommuneEtablissement"), distribution: c("distributionSpecialeEtablissement"),
		commune: c("codeCommuneEtablissement"), codeCedex: c("codeCedexEtablissement"),
		libelleCedex: c("libelleCedexEtablissement"), adresseID: c("identifiantAdresseEtablissement"),
		lambertX: c("coordonneeLambertAbscisseEtablissement"), lambertY: c("coordonneeLambertOrdonneeEtablissement"),
		etat: c("etatAdministratifEtablissement"), enseigne1: c("enseigne1Etablissement"),
		enseigne2: c("enseigne2Etablissement"), enseigne3: c("enseigne3Etablissement"),
		denomination: c("denominationUsuelleEtablissement"), activite: c("activitePrincipaleEtablissement"),
		nomenclature: c("nomenclatureActivitePrincipaleEtablissement"),
		employeur:    c("caractereEmployeurEtablissement"), naf25: c("activitePrincipaleNAF25Etablissement"),
	}
}

var requiredEtablissementColumns = []string{"siren", "siret", "statutDiffusionEtablissement",
	"etatAdministratifEtablissement", "codeCommuneEtablissement"}

// ScanEtablissements streams StockEtablissement and calls fn with each active establishment that keep selects,
// masked when it is not diffusible. Unreadable rows go to opts.Reject; the scan stops on the first error of fn,
// on a read error, or on a file that is not UTF-8.
func ScanEtablissements(r io.Reader, keep Filter, fn func(Etablissement) error, opts Options) (Stats, error) {
	s, err := openStock(r, opts, requiredEtablissementColumns)
	if err != nil {
		return Stats{}, err
	}
	col := s.etablissementColumns()
	communes := map[string]bool{}
	for {
		f, err := s.next()
		if errors.Is(err, io.EOF) {
			return s.stats, nil
		}
		if err != nil {
			return s.stats, err
		}
		if string(f[col.etat]) != "A" {
			continue
		}
		if keep.KeepCommune != nil {
			kept, seen := communes[string(f[col.commune])]
			if !seen {
				code := string(f[col.commune])
				kept = keep.KeepCommune(code)
				communes[code] = kept
			}
			if !kept {
				continue
			}
		}
		siren := string(f[col.siren])
		if keep.KeepSIREN != nil && !keep.KeepSIREN(siren) {
			continue
		}
		e := col.etablissement(f, siren, s.stats.Rows)
		if e.Masked() || (keep.MaskSIREN != nil && keep.MaskSIREN(siren)) {
			e.Mask()
		}
		s.stats.Kept++
		if err := fn(e); err != nil {
			return s.stats, err
		}
	}
}

func (c etablissementColumns) etablissement(f [][]byte, siren string, row int64) Etablissement {
	t := func(i int) string { return strings.TrimSpace(text(field(f, i))) }
	e := Etablissement{
		Row: row, SIREN: siren, NIC: t(c.nic), SIRET: t(c.siret), Etat: t(c.etat), StatutDiffusion: t(c.statut),
		Siege: t(c.siege) == "true", DateCreation: t(c.creation), DenominationUsuelle: t(c.denomination),
		ActivitePrincipale: t(c.activite), NomenclatureActivite: t(c.nomenclature),
		ActivitePrincipaleNAF25: t(c.naf25), TrancheEffectifs: t(c.tranche), AnneeEffectifs: t(c.annee),
		CaractereEmployeur: t(c.employeur), ComplementAdresse: t(c.complement), NumeroVoie: t(c.numero),
		IndiceRepetition: t(c.indice), TypeVoie: t(c.typeVoie), LibelleVoie: t(c.libelleVoie),
		DistributionSpeciale: t(c.distribution), CodePostal: t(c.codePostal), LibelleCommune: t(c.libelleCommune),
		CodeCedex: t(c.codeCedex), LibelleCedex: t(c.libelleCedex), CodeCommune: t(c.commune),
		IdentifiantAdresse: t(c.adresseID),
		CoordonneeLambertX: coordinate(t(c.lambertX)), CoordonneeLambertY: coordinate(t(c.lambertY)),
	}
	for _, i := range []int{c.enseigne1, c.enseigne2, c.enseigne3} {
		if v := t(i); v != "" {
			e.Enseignes = append(e.Enseignes, v)
		}
	}
	return e
}

func coordinate(s string) *float64 {
	if s == "" {
		return nil
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return nil
	}
	return &v
}
