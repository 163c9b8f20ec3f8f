// Package opendata holds what the readers of French open data share: the Lambert-93 to WGS84 conversion.
package opendata

import "math"

// conicProjection holds the constants of a Lambert conformal conic projection in the form the IGN
// algorithms ALG0003/ALG0004 use (note NTG_71 "Projection cartographique conique conforme de Lambert").
type conicProjection struct {
	n      float64 // exponent of the projection
	c      float64 // projection constant, metres
	xs, ys float64 // coordinates of the pole, metres
	lon0   float64 // longitude of the origin meridian, radians
	e      float64 // first eccentricity of the ellipsoid
}

// lambert93 is EPSG:2154 (RGF93 / Lambert-93): secant cone at 44° and 49° N, origin 46°30' N 3° E,
// false easting 700 km, false northing 6,600 km, on the GRS80 ellipsoid. The constants are derived
// from those parameters (IGN ALG0054) rather than copied, so they carry full float64 precision.
var lambert93 = secantConic(6378137, 1/298.257222101, deg(44), deg(49), deg(46.5), deg(3), 700000, 6600000)

// Lambert93Bounds is the rectangle of Lambert-93 coordinates that covers metropolitan France and Corsica with
// a margin; SIRENE coordinates outside it are either overseas projections or errors.
var Lambert93Bounds = struct{ MinX, MinY, MaxX, MaxY float64 }{MinX: -100000, MinY: 5900000, MaxX: 1400000, MaxY: 7300000}

// Lambert93ToWGS84 converts Lambert-93 metres (EPSG:2154) to WGS84 degrees. RGF93 and WGS84 agree to within a
// few centimetres, so no datum shift is applied.
func Lambert93ToWGS84(x, y float64) (lat, lon float64) {
	phi, lambda := lambert93.inverse(x, y)
	return phi * 180 / math.Pi, lambda * 180 / math.Pi
}

// WGS84ToLambert93 converts WGS84 degrees to Lambert-93 metres (EPSG:2154).
func WGS84ToLambert93(lat, lon float64) (x, y float64) {
	return lambert93.forward(deg(lat), deg(lon))
}

// InLambert93Bounds reports whether (x, y) lies in Lambert93Bounds.
func InLambert93Bounds(x, y float64) bool {
	b := Lambert93Bounds
	return x >= b.MinX && x <= b.MaxX && y >= b.MinY && y <= b.MaxY
}

func deg(d float64) float64 { return d * math.Pi / 180 }

// secantConic computes the constants of a conic projection from its two standard parallels (IGN ALG0054).
func secantConic(a, f, phi1, phi2, phi0, lon0, x0, y0 float64) conicProjection {
	e := math.Sqrt(f * (2 - f))
	m := func(phi float64) float64 { s := e * math.Sin(phi); return math.Cos(phi) / math.Sqrt(1-s*s) }
	l1, l2, l0 := isometricLatitude(phi1, e), isometricLatitude(phi2, e), isometricLatitude(phi0, e)
	n := math.Log(m(phi2)/m(phi1)) / (l1 - l2)
	c := a * m(phi1) / n * math.Exp(n*l1)
	return conicProjection{n: n, c: c, xs: x0, ys: y0 + c*math.Exp(-n*l0), lon0: lon0, e: e}
}

// isometricLatitude is IGN ALG0001.
func isometricLatitude(phi, e float64) float64 {
	s := e * math.Sin(phi)
	return math.Log(math.Tan(math.Pi/4+phi/2) * math.Pow((1-s)/(1+s), e/2))
}

// latitudeFromIsometric is IGN ALG0002: a fixed-point iteration that converges in a handful of steps.
func latitudeFromIsometric(l, e float64) float64 {
	const epsilon = 1e-12
	el := math.Exp(l)
	phi := 2*math.Atan(el) - math.Pi/2
	for range 50 {
		s := e * math.Sin(phi)
		next := 2*math.Atan(math.Pow((1+s)/(1-s), e/2)*el) - math.Pi/2
		if math.Abs(next-phi) < epsilon {
			return next
		}
		phi = next
	}
	return phi
}

// inverse is IGN ALG0004: projected coordinates to geographic ones, in radians.
func (p conicProjection) inverse(x, y float64) (phi, lambda float64) {
	dx, dy := x-p.xs, y-p.ys
	r := math.Hypot(dx, dy)
	gamma := math.Atan(dx / -dy)
	lambda = p.lon0 + gamma/p.n
	l := -1 / p.n * math.Log(math.Abs(r/p.c))
	return latitudeFromIsometric(l, p.e), lambda
}

// forward is IGN ALG0003: geographic coordinates in radians to projected ones.
func (p conicProjection) forward(phi, lambda float64) (x, y float64) {
	l := isometricLatitude(phi, p.e)
	r := p.c * math.Exp(-p.n*l)
	theta := p.n * (lambda - p.lon0)
	return p.xs + r*math.Sin(theta), p.ys - r*math.Cos(theta)
}
