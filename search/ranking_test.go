package search

import (
	"context"
	"testing"

	"github.com/essor-ess/essor/internal/domain"
)

// rankingFixtures holds pairs of structures where one word of the query finds the wrong one first: each case of
// TestRankingCauses names the structure a buyer expects above the other.
func rankingFixtures() []domain.Structure {
	published := func(id, name, description string, offers ...domain.Offer) domain.Structure {
		return domain.Structure{ID: id, Name: name, Description: description, ESSFamily: domain.FamilyAssociation,
			Commune: "44109", Location: nantes, Status: domain.StatusPublished, UpdatedAt: day(1), Offers: offers}
	}
	withDescription := func(o domain.Offer, d string) domain.Offer { o.Description = d; return o }
	// Other movers and structures working for offices, so that "déménagement" and "bureaux" are common words, as
	// in a real directory, and the movers' name word is the rare one.
	var others []domain.Structure
	for _, o := range []domain.Offer{
		offer("o1", "Déménagement de particuliers", domain.OfferService, country, "98392000-7"),
		offer("o2", "Déménagement et transfert de services", domain.OfferService, country, "98392000-7"),
		offer("o3", "Nettoyage de bureaux", domain.OfferService, country, "90919200-4"),
		offer("o4", "Mobilier de bureau", domain.OfferSupply, country, "39130000-2"),
		offer("o5", "Accueil et secrétariat de bureaux", domain.OfferService, country, "79500000-9"),
		offer("o6", "Entretien de bureaux et de locaux", domain.OfferService, country, "90919200-4"),
		offer("o7", "Vidage de bureaux", domain.OfferService, country, "90511000-2"),
	} {
		o.ID += "-1"
		others = append(others, published(o.ID[:2], "Structure "+o.ID[:2], "Une association de l'économie sociale et solidaire.", o))
	}
	return append(others,
		published("movers-name", "Déménageurs Solidaires du Gesvres",
			"Déménageurs Solidaires du Gesvres est une société coopérative créée en 2011. Elle réalise les déménagements de particuliers, d'entreprises et d'administrations.",
			offer("mn-1", "Stockage et garde-meubles", domain.OfferService, country, "63120000-6")),
		published("office-moves", "Transports de l'Erdre", "Transports de l'Erdre est une association d'insertion créée en 2005 à Rezé.",
			withDescription(offer("om-1", "Déménagement de bureaux et d'archives", domain.OfferService, country, "98392000-7"),
				"Transfert de services administratifs, mobilier et archives, avec mise en cartons et remontage sur place.")),
		published("textile", "Atelier Fil et Aiguille", "Son atelier de confection fabrique des vêtements de travail et des articles textiles à partir de tissus recyclés.",
			withDescription(offer("tx-1", "Articles textiles confectionnés", domain.OfferSupply, country, "39520000-3"),
				"Sacs et rideaux fabriqués à partir de textiles de réemploi.")),
		published("jaguere", "Recyclerie de la Jaguère", "Elle collecte, trie, répare et revend les objets dont d'autres n'ont plus l'usage.",
			withDescription(offer("jg-1", "Débarras et vidage de locaux", domain.OfferService, country, "90511000-2"),
				"Vidage de bureaux avec tri pour le réemploi et le recyclage.")),
		published("troc", "Le Troc du Marais", "Le Troc du Marais est une association loi 1901 créée en 1992 à Nantes.",
			withDescription(offer("tr-1", "Vente de mobilier de réemploi", domain.OfferSupply, country, "39100000-3"),
				"Mobilier de bureau, scolaire et de collectivité remis en état et garanti, livré et installé.")),
	)
}

func TestRankingCauses(t *testing.T) {
	ix, err := Open(t.TempDir()+"/index", Options{CPV: fakeCPV, Places: fakePlaces})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ix.Close() })
	if err := ix.Apply(context.Background(), rankingFixtures(), nil, 1); err != nil {
		t.Fatal(err)
	}
	tests := []struct{ text, first, second, why string }{
		{"demenageur bureaux", "office-moves", "movers-name",
			"a structure with both words ranks above one named after one of them (relaxed query keeps full matches first)"},
		{"recyclerie", "troc", "textile",
			"réemploi in an offer title says what the offer is; recyclés in a description is an adjective that stems like recyclerie"},
	}
	for _, tt := range tests {
		res, err := ix.Search(context.Background(), Query{Text: tt.text + " "})
		if err != nil {
			t.Fatal(err)
		}
		got := ids(res)
		rank := func(id string) int {
			for i, g := range got {
				if g == id {
					return i
				}
			}
			return len(got)
		}
		if rank(tt.first) >= rank(tt.second) || rank(tt.first) == len(got) {
			t.Errorf("%q = %v, want %s above %s: %s", tt.text, got, tt.first, tt.second, tt.why)
		}
	}
}
