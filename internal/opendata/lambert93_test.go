package opendata

import (
	"math"
	"testing"
)

// The test vectors of IGN note NTG_71 (Lambert II étendu constants, Paris meridian) check the algorithms
// themselves, independently of the Lambert-93 constants.
var ntg71 = conicProjection{n: 0.7604059656, c: 11603796.98, xs: 600000, ys: 5657616.674, lon0: 0.04079234433, e: 0.08248325676}

func TestInverseMatchesIGNTestVector(t *testing.T) {
	phi, lambda := ntg71.inverse(1029705.083, 272723.849)
	if math.Abs(phi-0.872664626) > 1e-9 || math.Abs(lambda-0.145512099) > 1e-9 {
		t.Errorf("ALG0004: got phi=%.10f lambda=%.10f, want 0.872664626 0.145512099", phi, lambda)
	}
}

func TestForwardMatchesIGNTestVector(t *testing.T) {
	x, y := ntg71.forward(0.872664626, 0.145512099)
	if math.Abs(x-1029705.0818) > 0.01 || math.Abs(y-272723.8510) > 0.01 {
		t.Errorf("ALG0003: got x=%.4f y=%.4f, want 1029705.0818 272723.8510", x, y)
	}
}

func TestIsometricLatitudeMatchesIGNTestVectors(t *testing.T) {
	const e = 0.08199188998
	for _, tc := range []struct{ phi, want float64 }{
		{0.872664626, 1.00552653648},
		{-0.3, -0.30261690060},
		{0.19998903370, 0.2},
	} {
		if got := isometricLatitude(tc.phi, e); math.Abs(got-tc.want) > 1e-10 {
			t.Errorf("ALG0001(%v) = %.11f, want %.11f", tc.phi, got, tc.want)
		}
		if got := latitudeFromIsometric(tc.want, e); math.Abs(got-tc.phi) > 1e-10 {
			t.Errorf("ALG0002(%v) = %.11f, want %.11f", tc.want, got, tc.phi)
		}
	}
}

func TestLambert93ConstantsMatchPublishedValues(t *testing.T) {
	// Published by IGN for Lambert-93 (ALG0054 applied to RGF93 / GRS80).
	if math.Abs(lambert93.n-0.7256077650532670) > 1e-12 {
		t.Errorf("n = %.16f", lambert93.n)
	}
	if math.Abs(lambert93.c-11754255.426096) > 1e-3 {
		t.Errorf("c = %.6f", lambert93.c)
	}
	if math.Abs(lambert93.ys-12655612.049876) > 1e-3 {
		t.Errorf("Ys = %.6f", lambert93.ys)
	}
}

func TestLambert93ToWGS84KnownPoints(t *testing.T) {
	for _, tc := range []struct {
		name             string
		x, y             float64
		lat, lon, tolDeg float64
	}{
		// The projection origin maps exactly onto 46°30' N, 3° E.
		{"origin", 700000, 6600000, 46.5, 3, 1e-9},
		// A point rounded to the kilometre next to Nantes town hall (47.2184 N, 1.5536 W): only checks that
		// nothing is grossly off (signs, meridian, false northing); the IGN vectors above check precision.
		{"Nantes", 355000, 6689000, 47.218, -1.554, 1.5e-2},
	} {
		lat, lon := Lambert93ToWGS84(tc.x, tc.y)
		if math.Abs(lat-tc.lat) > tc.tolDeg || math.Abs(lon-tc.lon) > tc.tolDeg {
			t.Errorf("%s: got %.7f, %.7f; want %.7f, %.7f ± %g", tc.name, lat, lon, tc.lat, tc.lon, tc.tolDeg)
		}
	}
}

func TestStandardParallelsKeepScale(t *testing.T) {
	// On a secant cone the scale factor is exactly 1 along both standard parallels: a 1e-6 rad step east
	// must measure the same on the projection as on the ellipsoid.
	const a, e2 = 6378137.0, 0.00669438002290
	for _, latDeg := range []float64{44, 49} {
		phi := deg(latDeg)
		x1, y1 := lambert93.forward(phi, deg(3))
		x2, y2 := lambert93.forward(phi, deg(3)+1e-6)
		projected := math.Hypot(x2-x1, y2-y1)
		ellipsoid := a * math.Cos(phi) / math.Sqrt(1-e2*math.Sin(phi)*math.Sin(phi)) * 1e-6
		if math.Abs(projected/ellipsoid-1) > 1e-6 {
			t.Errorf("scale at %v° = %.9f, want 1", latDeg, projected/ellipsoid)
		}
	}
}

func TestRoundTripAcrossMetropolitanFrance(t *testing.T) {
	for lat := 41.0; lat <= 51.5; lat += 0.5 {
		for lon := -5.5; lon <= 10.0; lon += 0.5 {
			x, y := WGS84ToLambert93(lat, lon)
			gotLat, gotLon := Lambert93ToWGS84(x, y)
			if math.Abs(gotLat-lat) > 1e-9 || math.Abs(gotLon-lon) > 1e-9 {
				t.Fatalf("round trip of %v,%v gave %v,%v", lat, lon, gotLat, gotLon)
			}
			if !InLambert93Bounds(x, y) {
				t.Errorf("%v,%v projects to %v,%v outside Lambert93Bounds", lat, lon, x, y)
			}
		}
	}
}

func FuzzLambert93RoundTrip(f *testing.F) {
	f.Add(355000.0, 6689000.0)
	f.Add(700000.0, 6600000.0)
	f.Add(-100000.0, 5900000.0)
	f.Fuzz(func(t *testing.T, x, y float64) {
		if !InLambert93Bounds(x, y) {
			return
		}
		lat, lon := Lambert93ToWGS84(x, y)
		if math.IsNaN(lat) || math.IsNaN(lon) || lat < 38 || lat > 55 || lon < -10 || lon > 15 {
			t.Fatalf("%v,%v → %v,%v: outside the plausible area", x, y, lat, lon)
		}
		bx, by := WGS84ToLambert93(lat, lon)
		if math.Abs(bx-x) > 1e-3 || math.Abs(by-y) > 1e-3 {
			t.Fatalf("%v,%v → %v,%v → %v,%v: round trip off by more than 1 mm", x, y, lat, lon, bx, by)
		}
	})
}
