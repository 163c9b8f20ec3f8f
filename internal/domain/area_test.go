package domain

import (
	"errors"
	"fmt"
	"slices"
	"testing"
)

// fieldLocations returns the locations of a validation error, nil for nil.
func fieldLocations(t *testing.T, err error) []string {
	t.Helper()
	if err == nil {
		return nil
	}
	var de *Error
	if !errors.As(err, &de) || de.Kind != KindInvalid {
		t.Fatalf("error %v is not an invalid-kind *domain.Error", err)
	}
	locs := make([]string, len(de.Fields))
	for i, f := range de.Fields {
		locs[i] = f.Location
	}
	return locs
}

func manyZones(n int) []string {
	zones := make([]string, n)
	for i := range zones {
		zones[i] = fmt.Sprintf("commune:%05d", 1000+i)
	}
	return zones
}

func TestAreaValidate(t *testing.T) {
	tests := []struct {
		name string
		area Area
		want []string // field locations; nil when valid
	}{
		{"country", Area{Scope: ScopeCountry}, nil},
		{"country with radius", Area{Scope: ScopeCountry, RadiusKM: 10}, []string{"radius_km"}},
		{"country with zones", Area{Scope: ScopeCountry, Zones: []string{"region:52"}}, []string{"zones"}},
		{"radius", Area{Scope: ScopeRadius, RadiusKM: 30}, nil},
		{"radius 1 km", Area{Scope: ScopeRadius, RadiusKM: 1}, nil},
		{"radius 1000 km", Area{Scope: ScopeRadius, RadiusKM: 1000}, nil},
		{"radius 0", Area{Scope: ScopeRadius}, []string{"radius_km"}},
		{"radius 0.5 km", Area{Scope: ScopeRadius, RadiusKM: 0.5}, []string{"radius_km"}},
		{"radius 1001 km", Area{Scope: ScopeRadius, RadiusKM: 1001}, []string{"radius_km"}},
		{"radius with zones", Area{Scope: ScopeRadius, RadiusKM: 5, Zones: []string{"region:52"}}, []string{"zones"}},
		{"zones of each kind", Area{Scope: ScopeZones, Zones: []string{"commune:44109", "departement:44", "region:52",
			"epci:244400404", "departement:2A"}}, nil},
		{"zones with radius", Area{Scope: ScopeZones, RadiusKM: 3, Zones: []string{"region:52"}}, []string{"radius_km"}},
		{"no zones", Area{Scope: ScopeZones}, []string{"zones"}},
		{"201 zones", Area{Scope: ScopeZones, Zones: manyZones(201)}, append([]string{"zones"}, repeatedLocations("zones", 0, 201)...)},
		{"malformed zone", Area{Scope: ScopeZones, Zones: []string{"region:52", "commune:441"}}, []string{"zones[1]"}},
		{"unknown commune", Area{Scope: ScopeZones, Zones: []string{"commune:44110"}}, []string{"zones[0]"}},
		{"unknown department", Area{Scope: ScopeZones, Zones: []string{"departement:85"}}, []string{"zones[0]"}},
		{"unknown region", Area{Scope: ScopeZones, Zones: []string{"region:53"}}, []string{"zones[0]"}},
		{"unknown EPCI", Area{Scope: ScopeZones, Zones: []string{"epci:200000172"}}, []string{"zones[0]"}},
		{"duplicate zone", Area{Scope: ScopeZones, Zones: []string{"region:52", "commune:44109", "region:52"}},
			[]string{"zones[2]"}},
		{"duplicate zone in another case", Area{Scope: ScopeZones, Zones: []string{"departement:2a", "departement:2A"}},
			[]string{"zones[1]"}},
		{"no scope", Area{}, []string{"scope"}},
		{"unknown scope", Area{Scope: "world"}, []string{"scope"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fieldLocations(t, tt.area.Validate(fakeReference{}))
			if !slices.Equal(got, tt.want) {
				t.Errorf("Validate locations = %v, want %v", got, tt.want)
			}
		})
	}
}

func TestAreaCovers(t *testing.T) {
	rezeCommune := CommunePlace{INSEE: "44143", Department: "44", Region: "52", EPCI: "244400404", Centre: reze}
	ajaccio := CommunePlace{INSEE: "2A004", Department: "2A", Region: "94", EPCI: "242010056",
		Centre: GeoPoint{Lat: 41.9189, Lon: 8.7386}}
	zones := func(z ...string) Area { return Area{Scope: ScopeZones, Zones: z} }
	tests := []struct {
		name     string
		area     Area
		location *GeoPoint
		commune  CommunePlace
		want     bool
	}{
		{"country covers Rezé", Area{Scope: ScopeCountry}, nil, rezeCommune, true},
		{"country covers Ajaccio", Area{Scope: ScopeCountry}, nil, ajaccio, true},
		{"commune zone", zones("commune:44143"), nil, rezeCommune, true},
		{"other commune zone", zones("commune:44109"), nil, rezeCommune, false},
		{"department zone", zones("departement:44"), nil, rezeCommune, true},
		{"Corsican department zone", zones("departement:2a"), nil, ajaccio, true},
		{"other department zone", zones("departement:85"), nil, rezeCommune, false},
		{"region zone", zones("region:52"), nil, rezeCommune, true},
		{"other region zone", zones("region:52"), nil, ajaccio, false},
		{"EPCI zone", zones("epci:244400404"), nil, rezeCommune, true},
		{"other EPCI zone", zones("epci:244400404"), nil, ajaccio, false},
		{"second zone matches", zones("commune:44109", "region:94"), nil, ajaccio, true},
		{"malformed zone covers nothing", zones("departement:"), nil, CommunePlace{INSEE: "44143"}, false},
		{"Rezé 3.9 km from Nantes, radius 5", Area{Scope: ScopeRadius, RadiusKM: 5}, &nantes, rezeCommune, true},
		{"Rezé 3.9 km from Nantes, radius 3", Area{Scope: ScopeRadius, RadiusKM: 3}, &nantes, rezeCommune, false},
		{"Ajaccio 1005 km from Nantes, radius 1000", Area{Scope: ScopeRadius, RadiusKM: 1000}, &nantes, ajaccio, false},
		{"structure at Ajaccio's centre, radius 1", Area{Scope: ScopeRadius, RadiusKM: 1}, &ajaccio.Centre, ajaccio, true},
		{"radius without location", Area{Scope: ScopeRadius, RadiusKM: 1000}, nil, rezeCommune, false},
		{"no scope", Area{}, &nantes, rezeCommune, false},
	}
	for _, tt := range tests {
		if got := tt.area.Covers(tt.location, tt.commune); got != tt.want {
			t.Errorf("%s: Covers = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func BenchmarkAreaCovers(b *testing.B) {
	commune := CommunePlace{INSEE: "44143", Department: "44", Region: "52", EPCI: "244400404", Centre: reze}
	zones := Area{Scope: ScopeZones, Zones: []string{"commune:44109", "commune:44020", "departement:85", "region:53",
		"epci:244400404"}}
	radius := Area{Scope: ScopeRadius, RadiusKM: 30}
	b.Run("zones", func(b *testing.B) {
		for b.Loop() {
			zones.Covers(nil, commune)
		}
	})
	b.Run("radius", func(b *testing.B) {
		for b.Loop() {
			radius.Covers(&nantes, commune)
		}
	})
}
