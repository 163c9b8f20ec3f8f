package sirene

import (
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"
)

// UniteLegale is one row of StockUniteLegale, as published. The first names of natural persons are left out:
// an entrepreneur individuel is never an ESS structure and they are personal data.
type UniteLegale struct {
	Row                     int64
	SIREN                   string
	StatutDiffusion         string // O diffusible, P partially diffusible
	Etat                    string // A active, C cessée
	Denomination            string
	DenominationsUsuelles   []string
	Sigle                   string
	CategorieJuridique      string // 4-digit INSEE code, e.g. 9220
	ActivitePrincipale      string // NAF rév. 2 with its dot
	NomenclatureActivite    string
	ActivitePrincipaleNAF25 string
	ESS                     string // economieSocialeSolidaireUniteLegale: O, N or empty
	SocieteMission          string // O, N or empty
	TrancheEffectifs        string
	AnneeEffectifs          string
	CategorieEntreprise     string // PME, ETI, GE or empty
	CaractereEmployeur      string
	NicSiege                string
	IdentifiantAssociation  string // RNA number (W…) of an association
	DateCreation            string
}

type uniteLegaleColumns struct {
	siren, statut, etat, denomination, usuelle1, usuelle2, usuelle3, sigle, categorie, activite, nomenclature,
	naf25, ess, mission, tranche, annee, categorieEntreprise, employeur, nicSiege, rna, creation int
}

func (s *stock) uniteLegaleColumns() uniteLegaleColumns {
	c := s.column
	return uniteLegaleColumns{
		siren: c("siren"), statut: c("statutDiffusionUniteLegale"), etat: c("etatAdministratifUniteLegale"),
		denomination: c("denominationUniteLegale"), usuelle1: c("denominationUsuelle1UniteLegale"),
		usuelle2: c("denominationUsuelle2UniteLegale"), usuelle3: c("denominationUsuelle3UniteLegale"),
		sigle: c("sigleUniteLegale"), categorie: c("categorieJuridiqueUniteLegale"),
		activite: c("activitePrincipaleUniteLegale"), nomenclature: c("nomenclatureActivitePrincipaleUniteLegale"),
		naf25: c("activitePrincipaleNAF25UniteLegale"), ess: c("economieSocialeSolidaireUniteLegale"),
		mission: c("societeMissionUniteLegale"), tranche: c("trancheEffectifsUniteLegale"),
		annee: c("anneeEffectifsUniteLegale"), categorieEntreprise: c("categorieEntreprise"),
		employeur: c("caractereEmployeurUniteLegale"), nicSiege: c("nicSiegeUniteLegale"),
		rna: c("identifiantAssociationUniteLegale"), creation: c("dateCreationUniteLegale"),
	}
}

var requiredUniteLegaleColumns = []string{"siren", "statutDiffusionUniteLegale", "etatAdministratifUniteLegale",
	"categorieJuridiqueUniteLegale", "economieSocialeSolidaireUniteLegale"}

func (c uniteLegaleColumns) uniteLegale(f [][]byte, row int64) UniteLegale {
	t := func(i int) string { return strings.TrimSpace(text(field(f, i))) }
	u := UniteLegale{
		Row: row, SIREN: t(c.siren), StatutDiffusion: t(c.statut), Etat: t(c.etat), Denomination: t(c.denomination),
		Sigle: t(c.sigle), CategorieJuridique: t(c.categorie), ActivitePrincipale: t(c.activite),
		NomenclatureActivite: t(c.nomenclature), ActivitePrincipaleNAF25: t(c.naf25), ESS: t(c.ess),
		SocieteMission: t(c.mission), TrancheEffectifs: t(c.tranche), AnneeEffectifs: t(c.annee),
		CategorieEntreprise: t(c.categorieEntreprise), CaractereEmployeur: t(c.employeur), NicSiege: t(c.nicSiege),
		IdentifiantAssociation: t(c.rna), DateCreation: t(c.creation),
	}
	for _, i := range []int{c.usuelle1, c.usuelle2, c.usuelle3} {
		if v := t(i); v != "" {
			u.DenominationsUsuelles = append(u.DenominationsUsuelles, v)
		}
	}
	return u
}

// ScanUnitesLegales streams StockUniteLegale and calls fn with each unit whose SIREN keep accepts (all when
// keep is nil), active or not.
func ScanUnitesLegales(r io.Reader, keep func(siren string) bool, fn func(UniteLegale) error, opts Options) (Stats, error) {
	s, err := openStock(r, opts, requiredUniteLegaleColumns)
	if err != nil {
		return Stats{}, err
	}
	col := s.uniteLegaleColumns()
	for {
		f, err := s.next()
		if errors.Is(err, io.EOF) {
			return s.stats, nil
		}
		if err != nil {
			return s.stats, err
		}
		if keep != nil && !keep(string(f[col.siren])) {
			continue
		}
		s.stats.Kept++
		if err := fn(col.uniteLegale(f, s.stats.Rows)); err != nil {
			return s.stats, err
		}
	}
}

// UnitSet is a compact set of legal units, 8 bytes each, so that the ~1.5 million ESS units of the national
// stock fit in a few megabytes. Fetch their details with a second ScanUnitesLegales restricted to the SIRENs
// the establishment scan kept.
type UnitSet struct {
	entries []uint64 // siren<<8 | flags, sorted
}

const (
	unitESSFlag   = 1 << iota // economieSocialeSolidaireUniteLegale = O
	unitESSForm               // legal form of the ESS "de droit"
	unitNotPublic             // statutDiffusionUniteLegale is not O
)

// Has reports whether the SIREN is in the set.
func (s *UnitSet) Has(siren string) bool { _, ok := s.flags(siren); return ok }

// Len returns the number of units in the set.
func (s *UnitSet) Len() int { return len(s.entries) }

// FlaggedESS reports whether the unit is in the set through the SIRENE ESS flag (and not only its legal form).
func (s *UnitSet) FlaggedESS(siren string) bool { f, _ := s.flags(siren); return f&unitESSFlag != 0 }

// NotDiffusible reports whether the unit is in the set and partially diffusible; use it as Filter.MaskSIREN.
func (s *UnitSet) NotDiffusible(siren string) bool {
	f, _ := s.flags(siren)
	return f&unitNotPublic != 0
}

func (s *UnitSet) flags(siren string) (uint8, bool) {
	n, ok := sirenNumber(siren)
	if !ok {
		return 0, false
	}
	i, found := slices.BinarySearchFunc(s.entries, n, func(e uint64, n uint64) int {
		switch {
		case e>>8 < n:
			return -1
		case e>>8 > n:
			return 1
		}
		return 0
	})
	if !found {
		return 0, false
	}
	return uint8(s.entries[i]), true
}

func sirenNumber(siren string) (uint64, bool) {
	if len(siren) != 9 {
		return 0, false
	}
	n, err := strconv.ParseUint(siren, 10, 32)
	return n, err == nil
}

// ESSOptions tune ESSUnits.
type ESSOptions struct {
	Options
	// IsESSLegalCategory tells the legal forms of the ESS "de droit" (associations, cooperatives, mutuelles,
	// fondations) from a 4-digit catégorie juridique; nil keeps only units carrying the SIRENE ESS flag.
	IsESSLegalCategory func(code string) bool
}

// ESSUnits reads StockUniteLegale and returns the active units (etatAdministratif A) that are ESS: flagged
// economieSocialeSolidaireUniteLegale = O, or of an ESS legal form. Rows with an invalid SIREN are rejected.
func ESSUnits(r io.Reader, opts ESSOptions) (*UnitSet, Stats, error) {
	s, err := openStock(r, opts.Options, requiredUniteLegaleColumns)
	if err != nil {
		return nil, Stats{}, err
	}
	col := s.uniteLegaleColumns()
	forms := map[string]bool{}
	set := &UnitSet{}
	for {
		f, err := s.next()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return nil, s.stats, err
		}
		if string(f[col.etat]) != "A" {
			continue
		}
		var flags uint8
		if string(f[col.ess]) == "O" {
			flags |= unitESSFlag
		}
		if opts.IsESSLegalCategory != nil {
			isESS, seen := forms[string(f[col.categorie])]
			if !seen {
				code := string(f[col.categorie])
				isESS = opts.IsESSLegalCategory(code)
				forms[code] = isESS
			}
			if isESS {
				flags |= unitESSForm
			}
		}
		if flags == 0 {
			continue
		}
		n, ok := sirenNumber(string(f[col.siren]))
		if !ok {
			s.reject("siren is not 9 digits", rawLine(f))
			continue
		}
		if string(f[col.statut]) != "O" {
			flags |= unitNotPublic
		}
		s.stats.Kept++
		set.entries = append(set.entries, n<<8|uint64(flags))
	}
	slices.Sort(set.entries)
	set.entries = slices.CompactFunc(set.entries, func(a, b uint64) bool { return a>>8 == b>>8 })
	return set, s.stats, nil
}
