package domain

import (
	"math"
	"testing"
)

var (
	nantes = GeoPoint{Lat: 47.2186, Lon: -1.5541}
	reze   = GeoPoint{Lat: 47.1833, Lon: -1.55}
)

func TestParseZone(t *testing.T) {
	tests := []struct {
		in    string
		want  Zone
		valid bool
	}{
		{"commune:44109", Zone{ZoneCommune, "44109"}, true},
		{"commune:2A004", Zone{ZoneCommune, "2A004"}, true},
		{"commune:2a004", Zone{ZoneCommune, "2A004"}, true},
		{"commune:97411", Zone{ZoneCommune, "97411"}, true},
		{" departement:44 ", Zone{ZoneDepartment, "44"}, true},
		{"departement:2B", Zone{ZoneDepartment, "2B"}, true},
		{"departement:971", Zone{ZoneDepartment, "971"}, true},
		{"departement:976", Zone{ZoneDepartment, "976"}, true},
		{"region:52", Zone{ZoneRegion, "52"}, true},
		{"epci:244400404", Zone{ZoneEPCI, "244400404"}, true},
		{"commune:4410", Zone{}, false},
		{"commune:2C004", Zone{}, false},
		{"commune:44A09", Zone{}, false},
		{"departement:4", Zone{}, false},
		{"departement:2C", Zone{}, false},
		{"departement:961", Zone{}, false},
		{"departement:9710", Zone{}, false},
		{"region:5", Zone{}, false},
		{"region:A2", Zone{}, false},
		{"epci:244400405", Zone{}, false}, // fails Luhn
		{"epci:24440040", Zone{}, false},
		{"département:44", Zone{}, false},
		{"Commune:44109", Zone{}, false},
		{"44109", Zone{}, false},
		{"", Zone{}, false},
	}
	for _, tt := range tests {
		got, err := ParseZone(tt.in)
		if (err == nil) != tt.valid || got != tt.want {
			t.Errorf("ParseZone(%q) = %+v, %v; want %+v, valid=%v", tt.in, got, err, tt.want, tt.valid)
		}
	}
}

func TestDistanceKM(t *testing.T) {
	tests := []struct {
		name    string
		a, b    GeoPoint
		want    float64
		tolerKM float64
	}{
		{"same point", nantes, nantes, 0, 1e-9},
		{"Nantes–Rezé", nantes, reze, 3.93, 0.02},
		{"Paris–Marseille", GeoPoint{48.8566, 2.3522}, GeoPoint{43.2965, 5.3698}, 660.5, 2},
		{"antipodes", GeoPoint{0, 0}, GeoPoint{0, 180}, math.Pi * earthRadiusKM, 1e-6},
	}
	for _, tt := range tests {
		got := DistanceKM(tt.a, tt.b)
		if math.Abs(got-tt.want) > tt.tolerKM {
			t.Errorf("%s: DistanceKM = %.4f, want %.4f ± %g", tt.name, got, tt.want, tt.tolerKM)
		}
		if back := DistanceKM(tt.b, tt.a); math.Abs(back-got) > 1e-9 {
			t.Errorf("%s: DistanceKM is not symmetric: %v vs %v", tt.name, got, back)
		}
	}
}

func TestGeoPointValidLatLon(t *testing.T) {
	tests := []struct {
		p    GeoPoint
		want bool
	}{
		{nantes, true},
		{GeoPoint{90, 180}, true},
		{GeoPoint{-90.0001, 0}, false},
		{GeoPoint{0, 180.5}, false},
		{GeoPoint{math.NaN(), 0}, false},
		{GeoPoint{0, math.Inf(1)}, false},
	}
	for _, tt := range tests {
		if got := tt.p.ValidLatLon(); got != tt.want {
			t.Errorf("%+v.ValidLatLon() = %v, want %v", tt.p, got, tt.want)
		}
	}
}

func FuzzParseZone(f *testing.F) {
	for _, s := range []string{"commune:44109", "departement:2A", "departement:974", "region:52", "epci:244400404",
		"epci:", ":", "commune:", "region:５２"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		z, err := ParseZone(s)
		if err != nil {
			return
		}
		again, err := ParseZone(z.String())
		if err != nil || again != z {
			t.Fatalf("ParseZone(%q) = %+v, whose String %q parses to %+v, %v", s, z, z.String(), again, err)
		}
		if len(z.Code) < 2 || len(z.Code) > 9 {
			t.Fatalf("ParseZone(%q) accepted code %q", s, z.Code)
		}
	})
}
