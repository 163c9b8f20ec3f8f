package decp_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/essor-ess/essor/internal/opendata/decp"
)

// economieHeader is the column layout of the data.economie.gouv.fr export (decp-2022-marches-valides), see
// shared/reference/data-formats.md §3.
const economieHeader = "id;nature;objet;codecpv;procedure;titulaire_id_1;titulaire_typeidentifiant_1;titulaire_id_2;" +
	"titulaire_typeidentifiant_2;titulaire_id_3;titulaire_typeidentifiant_3;acheteur_id;dureemois;datenotification;" +
	"datepublicationdonnees;montant;formeprix;attributionavance;tauxavance;offresrecues;ccag;soustraitancedeclaree;" +
	"typegroupementoperateurs;idaccordcadre;lieuexecution_code;lieuexecution_typecode;considerationssociales;" +
	"considerationsenvironnementales;modalitesexecution;techniques;typesprix;origineue;originefrance;marcheinnovant;" +
	"idmodification;montantmodification;dureemoismodification;idtitulairemodification;typeidentifianttitulairemodification;" +
	"datenotificationmodificationmodification;datepublicationdonneesmodificationmodification;idactesoustraitance;" +
	"dureemoisactesoustraitance;datenotificationactesoustraitance;datepublicationdonneesactesoustraitance;" +
	"montantactesoustraitance;variationprixactesoustraitance;idsoustraitant;typeidentifiantsoustraitant;" +
	"idmodificationactesoustraitance;dureemoismodificationactesoustraitance;" +
	"datenotificationmodificationsoustraitancemodificationactesoustraitance;" +
	"datepublicationdonneesmodificationactesoustraitance;montantmodificationactesoustraitance;source"

// economieRow fills the export's columns by name; the others get the CDL placeholder, as in the real export.
func economieRow(values map[string]string) string {
	cols := strings.Split(economieHeader, ";")
	out := make([]string, len(cols))
	for i, c := range cols {
		v, ok := values[c]
		if !ok {
			v = "CDL"
		}
		if strings.ContainsAny(v, ";\"") {
			v = `"` + strings.ReplaceAll(v, `"`, `""`) + `"`
		}
		out[i] = v
	}
	return strings.Join(out, ";")
}

func TestReadEconomieCSVExport(t *testing.T) {
	nantes := map[string]string{"id": "2023S00030", "nature": "Marché", "codecpv": "71222000-0",
		"objet": "MOE remise en état de terrains de football; Eraudière", "procedure": "Procédure adaptée",
		"titulaire_id_1": "51309016700034", "titulaire_typeidentifiant_1": "SIRET", "titulaire_id_2": "INX",
		"acheteur_id": "21440109300015", "dureemois": "6", "datenotification": "2024-01-03",
		"datepublicationdonnees": "2024-07-28", "montant": "42130.0", "formeprix": "Forfaitaire",
		"typegroupementoperateurs": "Pas de groupement", "considerationssociales": "Pas de considération sociale",
		"soustraitancedeclaree": "non", "source": "ATEXO", "idmodification": "1"}
	modified := maps(nantes, map[string]string{"idmodification": "2", "titulaire_id_2": "44090956200041", "titulaire_typeidentifiant_2": "SIRET"})
	reserved := map[string]string{"id": "2024R1", "acheteur_id": "21440109300015", "titulaire_id_1": "79368308700019",
		"titulaire_typeidentifiant_1": "SIRET", "considerationssociales": "Marché réservé, Clause sociale",
		"typegroupementoperateurs": "Conjoint", "montant": "MQ NC", "dureemois": "INX", "datenotification": "CDL",
		"idactesoustraitance": "7"}
	other := map[string]string{"id": "2024X", "acheteur_id": "24440040400017", "montant": "0"}
	rows := []string{economieHeader, economieRow(nantes), economieRow(modified), economieRow(reserved),
		economieRow(other), "2024Z;Marché;broken", economieRow(reserved)}
	res := read(t, []byte(strings.Join(rows, "\r\n")+"\r\n"))
	if res.err != nil {
		t.Fatal(res.err)
	}
	if res.stats.Format != "csv-economie" || res.stats.Records != 6 || len(res.awards) != 3 || res.stats.Malformed != 1 || res.stats.Duplicates != 1 {
		t.Fatalf("stats %+v, %d awards, reports %+v", res.stats, len(res.awards), res.rejected)
	}
	a := res.awards[0]
	if a.Key() != "21440109300015/2023S00030" || a.CPV != "71222000" || *a.AmountEUR != 42130 || *a.DurationMonths != 6 ||
		a.Procedure != "Procédure adaptée" || a.Source != "ATEXO" || a.GroupementType != decp.GroupementNone ||
		a.Subcontracting == nil || *a.Subcontracting || len(a.SocialConsiderations) != 0 ||
		!slices.Equal(a.Holders, []decp.Holder{{ID: "51309016700034", TypeIdentifiant: "SIRET"}, {ID: "44090956200041", TypeIdentifiant: "SIRET"}}) {
		t.Errorf("rows of one marché not merged: %+v", a)
	}
	r := res.awards[1]
	if !r.Reserved || !slices.Equal(r.SocialConsiderations, []string{"Marché réservé", "Clause sociale"}) ||
		r.GroupementType != decp.GroupementConjoint || r.AmountEUR != nil || r.DurationMonths != nil || r.NotifiedOn != nil ||
		r.Nature != "" || r.Subcontracting == nil || !*r.Subcontracting {
		t.Errorf("placeholders or reserved flag misread: %+v", r)
	}
	if res.rejected[0].Kind != decp.RejectMalformed || res.rejected[0].Location != "row 5" ||
		res.rejected[1].Kind != decp.RejectDuplicate || res.rejected[1].Location != "row 6" {
		t.Errorf("reports %+v", res.rejected)
	}
}

func TestReadDecpInfoCSVExport(t *testing.T) {
	header := "uid,id,nature,acheteur_id,acheteur_nom,titulaire_id,titulaire_typeIdentifiant,titulaire_nom,objet,montant," +
		"codeCPV,procedure,dureeMois,dateNotification,considerationsSociales,typeGroupementOperateurs,sourceDataset"
	rows := []string{header,
		`21440109300015X1,X1,Marché,21440109300015,Ville de Nantes,51309016700034,SIRET,"ATELIER, SCOP",Objet,90000,45000000,Procédure adaptée,12,2024-03-01,,Solidaire,decp_aife`,
		`21440109300015X1,X1,Marché,21440109300015,Ville de Nantes,79368308700019,SIRET,ENVIE 44,Objet,90000,45000000,Procédure adaptée,12,2024-03-01,,Solidaire,decp_aife`,
		`21440109300015X2,X2,Marché,21440109300015,Ville de Nantes,"bad"quote,SIRET,X,Objet,1,45000000,,,,,,decp_aife`,
	}
	res := read(t, []byte(strings.Join(rows, "\n")+"\n"))
	if res.err != nil || res.stats.Format != "csv-decp.info" || len(res.awards) != 1 || res.stats.Malformed != 1 {
		t.Fatalf("err %v, stats %+v, reports %+v", res.err, res.stats, res.rejected)
	}
	a := res.awards[0]
	want := []decp.Holder{{ID: "51309016700034", TypeIdentifiant: "SIRET", Name: "ATELIER, SCOP"}, {ID: "79368308700019", TypeIdentifiant: "SIRET", Name: "ENVIE 44"}}
	if a.BuyerName != "Ville de Nantes" || !slices.Equal(a.Holders, want) || a.GroupementType != decp.GroupementSolidaire || a.Source != "decp_aife" {
		t.Errorf("decp.info rows misread: %+v", a)
	}
}

func maps(base, over map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for k, v := range over {
		out[k] = v
	}
	return out
}

// BenchmarkReadJSON reads a generated flat-variant file of 20,000 marchés.
func BenchmarkReadJSON(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`{"marches":[`)
	for i := range 20000 {
		if i > 0 {
			sb.WriteByte(',')
		}
		fmt.Fprintf(&sb, `{"id":"M%d","acheteur":{"id":"21440109300015"},"nature":"Marché","codeCPV":"45000000","montant":%d,`+
			`"dureeMois":12,"dateNotification":"2024-01-03","titulaires":[{"typeIdentifiant":"SIRET","id":"51309016700034"}],`+
			`"considerationsSociales":["Clause sociale"],"typeGroupementOperateurs":"Pas de groupement","sousTraitanceDeclaree":false}`, i, 1000+i)
	}
	sb.WriteString(`]}`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	for b.Loop() {
		if res := read(b, data); res.err != nil || len(res.awards) != 20000 {
			b.Fatal(res.err)
		}
	}
	b.ReportMetric(20000*float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
