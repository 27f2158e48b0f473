// Math functions and numeric constants (Foundation).
print(exp(0.0), exp(1.0))
// expect: 1.0 2.718281828459045
// ---
print(log(1.0), log(M_E), log2(8.0), log10(1000.0))
// expect: 0.0 1.0 3.0 3.0
// ---
print(sqrt(16.0), sqrt(2.0))
// expect: 4.0 1.4142135623730951
// ---
print(pow(2.0, 10.0), pow(9.0, 0.5))
// expect: 1024.0 3.0
// ---
print(abs(-3), abs(-2.5), abs(4))
// expect: 3 2.5 4
// ---
print(min(3, 7), max(3, 7), min(1.5, -2.0), max(1, 2, 3))
// expect: 3 7 -2.0 3
// ---
print(floor(2.7), ceil(2.1), round(2.5), round(-2.5), round(2.4))
// expect: 2.0 3.0 3.0 -3.0 2.0
// ---
print(sin(0.0), cos(0.0), tanh(0.0))
// expect: 0.0 1.0 0.0
// ---
print(Double.pi, Double.infinity > 1e308)
// expect: 3.141592653589793 true
// ---
print(Double.nan.isNaN, (0.0 / 0.0).isNaN, 1.0.isNaN)
// expect: true true false
// ---
print(Double.infinity.isInfinite, 1.0.isFinite)
// expect: true true
// ---
print(Int.max, Int.min)
// expect: 9223372036854775807 -9223372036854775808
// ---
print(tanh(1.0))
// expect: 0.7615941559557649
// ---
func sigmoid(_ x: Double) -> Double { 1 / (1 + exp(-x)) }
print(sigmoid(0), sigmoid(2))
// expect: 0.5 0.8807970779778823
// ---
let xs = [1.0, 2.0, 3.0, 4.0]
let mean = xs.reduce(0, +) / Double(xs.count)
let variance = xs.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(xs.count)
print(mean, variance, sqrt(variance))
// expect: 2.5 1.25 1.118033988749895
// ---
print(2.0.squareRoot(), (-3.5).magnitude)
// expect: 1.4142135623730951 3.5
// ---
print(10 % 4, 10.0.truncatingRemainder(dividingBy: 4))
// expect: 2 2.0
// ---
print(Double(1) / 3 * 3 == 1)
// expect: true
// ---
print(Int(3.99), Int(-3.99), Int(2.5.rounded()))
// expect: 3 -3 3
// ---
print(3.14159.rounded(), (3.14159 * 100).rounded() / 100)
// expect: 3.0 3.14
// ---
print(max(0.0, min(1.0, 1.7)), max(-1.0, min(1.0, -3.0)))
// expect: 1.0 -1.0
// ---
print(atan(1.0) * 4, tan(0.0), asin(1.0))
// expect: 3.141592653589793 0.0 1.5707963267948966
// ---
print(exp(log(5.0)))
// expect: 4.999999999999999
// ---
print(1 / 3, 1.0 / 3)
// expect: 0 0.3333333333333333
// ---
let a = 10
let b = 4
print(Double(a) / Double(b))
// expect: 2.5
// ---
print(Int.max - 1 + 1 == Int.max)
// expect: true
// ---
print(2.0 * .pi)
// expect: 6.283185307179586
// ---
print(Double.greatestFiniteMagnitude > 1e300, Double.leastNonzeroMagnitude > 0)
// expect: true true
// ---
print((1...5).reduce(0, +), (1...5).map { $0 * 2 })
// expect: 15 [2, 4, 6, 8, 10]
// ---
print(5.0.isZero, 0.0.isZero, (-2).signum(), 7.isMultiple(of: 7))
// expect: false true -1 true
