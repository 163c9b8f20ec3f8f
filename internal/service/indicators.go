package service

import (
	"context"
	"time"

	"github.com/essor-ess/essor/internal/domain"
)

// IndicatorStore computes the figures of the indicators; sqlstore implements it.
type IndicatorStore interface {
	// AwardIndicators counts the awards dated within [From, To] (and of BuyerSIRET when set).
	AwardIndicators(ctx context.Context, q IndicatorQuery) (AwardIndicators, error)
	// DirectoryIndicators counts the published structures of the directory as they are now.
	DirectoryIndicators(ctx context.Context) (DirectoryIndicators, error)
}

// IndicatorQuery is the period (both days included) and, optionally, the buyer the award indicators cover.
type IndicatorQuery struct {
	From       time.Time
	To         time.Time
	BuyerSIRET string
}

// AwardIndicators are the SPASER figures of the awards in a period. An award is "ESS" when one of its holders is
// the legal unit (same SIREN) of a published structure of the directory. Values are whole euros excluding VAT,
// summed over the awards whose amount is known. docs/indicators.md defines each figure.
type AwardIndicators struct {
	Contracts               int
	ContractsWithoutAmount  int
	ValueEUR                int64
	ESSContracts            int
	ESSValueEUR             int64
	FirstTimeESSWinners     int
	SocialContracts         int
	ReservedContracts       int
	ESSSocialContracts      int
	GroupementContracts     int
	ESSGroupementContracts  int
	SubcontractingContracts int
	ESSContractShare        float64 // ESSContracts / Contracts, 0 when there is none
	ESSValueShare           float64 // ESSValueEUR / ValueEUR
	SocialContractShare     float64
	ReservedContractShare   float64
	DistinctESSWinners      int
	DistinctBuyers          int
	// UndatedAwards counts the awards (of the buyer, when set) with neither notification nor publication date:
	// they fall in no period.
	UndatedAwards int
}

// Count is a number of structures for one value of a breakdown.
type Count struct {
	Key   string
	Label string
	Count int
}

// DirectoryIndicators describe the published directory as it is at the time of the request.
type DirectoryIndicators struct {
	Structures       int
	ByFamily         []Count
	ByInclusionKind  []Count
	ByCommune        []Count
	ByCPVDivision    []Count
	FirstTimeBidders int
	Verified         int
	FirstTimeShare   float64
	VerifiedShare    float64
}

// Indicators is the report GET /v1/indicators returns.
type Indicators struct {
	Query     IndicatorQuery
	Awards    AwardIndicators
	Directory DirectoryIndicators
}

// Labeller names codes in the breakdowns: communes, inclusion kinds and CPV divisions.
type Labeller interface {
	CommuneName(insee string) string
	InclusionKindLabel(code string) string
	CPVDivisionLabel(division string) string
}

// IndicatorService computes the indicators a SPASER report needs.
type IndicatorService struct {
	store  IndicatorStore
	labels Labeller
}

// NewIndicatorService returns the indicators over a store; labels may be nil (codes stay unlabelled).
func NewIndicatorService(store IndicatorStore, labels Labeller) *IndicatorService {
	return &IndicatorService{store: store, labels: labels}
}

// maxIndicatorYears bounds the period so that one request cannot scan the whole history many times over.
const maxIndicatorYears = 20

// Indicators validates the query and computes the award and directory indicators. Problems are located by
// query parameter name: from, to, buyer.
func (s *IndicatorService) Indicators(ctx context.Context, q IndicatorQuery) (*Indicators, error) {
	var p domain.Problems
	switch {
	case q.From.IsZero():
		p.Add("from", "is required (YYYY-MM-DD)")
	case q.To.IsZero():
		p.Add("to", "is required (YYYY-MM-DD)")
	case q.To.Before(q.From):
		p.Add("to", "must not be before from")
	case q.To.After(q.From.AddDate(maxIndicatorYears, 0, 0)):
		p.Add("to", "the period must not exceed %d years", maxIndicatorYears)
	}
	if q.BuyerSIRET != "" {
		if err := domain.ValidateSIRET(q.BuyerSIRET); err != nil {
			p.Add("buyer", "%s", err.Error())
		}
	}
	if err := p.Err(); err != nil {
		return nil, err
	}
	q.From, q.To = day(q.From), day(q.To)
	awards, err := s.store.AwardIndicators(ctx, q)
	if err != nil {
		return nil, err
	}
	awards.ESSContractShare = share(awards.ESSContracts, awards.Contracts)
	awards.ESSValueShare = share64(awards.ESSValueEUR, awards.ValueEUR)
	awards.SocialContractShare = share(awards.SocialContracts, awards.Contracts)
	awards.ReservedContractShare = share(awards.ReservedContracts, awards.Contracts)
	dir, err := s.store.DirectoryIndicators(ctx)
	if err != nil {
		return nil, err
	}
	dir.FirstTimeShare = share(dir.FirstTimeBidders, dir.Structures)
	dir.VerifiedShare = share(dir.Verified, dir.Structures)
	label(dir.ByFamily, func(f string) string { return familyLabels[domain.ESSFamily(f)] })
	if s.labels != nil {
		label(dir.ByCommune, s.labels.CommuneName)
		label(dir.ByInclusionKind, s.labels.InclusionKindLabel)
		label(dir.ByCPVDivision, s.labels.CPVDivisionLabel)
	}
	return &Indicators{Query: q, Awards: awards, Directory: dir}, nil
}

// familyLabels name the ESS families in the words of loi 2014-856.
var familyLabels = map[domain.ESSFamily]string{
	domain.FamilyAssociation: "Associations", domain.FamilyCooperative: "Coopératives",
	domain.FamilyMutual: "Mutuelles", domain.FamilyFoundation: "Fondations",
	domain.FamilyESSCompany: "Sociétés commerciales de l'ESS (ESUS ou qualité ESS)",
}

func day(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

func share(part, whole int) float64 { return share64(int64(part), int64(whole)) }

func share64(part, whole int64) float64 {
	if whole <= 0 {
		return 0
	}
	return float64(part) / float64(whole)
}

func label(counts []Count, name func(string) string) {
	for i := range counts {
		counts[i].Label = name(counts[i].Key)
	}
}
