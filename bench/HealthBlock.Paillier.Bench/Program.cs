// Paillier throughput beside its ceiling, measured in the same run.
//
//   dotnet run -c Release --project bench/HealthBlock.Paillier.Bench [-- --bits 3072] [--seconds 2] [--rounds 3]
//       [--patients 1000] [--days 30] [--pool 32] [--threads 1] [--chain-only 1]
//
// Ceiling: raw BigInteger.ModPow(x, e, n²) per second with an n-bit exponent e, the exponentiation one Paillier
// encryption cannot avoid (rⁿ mod n²). Each row alternates bursts of the ceiling and of the operation (--rounds
// pairs of --seconds each) and prints the medians, so load from other processes shifts both alike. The
// aggregation stands in random units mod n² for a cohort's hourly ciphertexts (patients × days × 24 additions,
// cycling through 8,192 distinct values), then decrypts the sum once. --chain-only 1 runs only the per-contribution
// rows (a gateway's contribution, a recomputation's step) and the aggregation.
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using HealthBlock.Paillier;

Dictionary<string, double> options;
try
{
    options = ParseOptions(args);
}
catch (ArgumentException e)
{
    Console.Error.WriteLine(e.Message);
    return 2;
}

var bits = (int)options["--bits"];
var seconds = options["--seconds"];
var rounds = (int)options["--rounds"];
var patients = (int)options["--patients"];
var days = (int)options["--days"];
var poolSize = (int)options["--pool"];
var threads = (int)options["--threads"];
var chainOnly = options["--chain-only"] > 0;

Console.WriteLine($"HealthBlock.Paillier.Bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, n = {bits} bits, {rounds} rounds of {seconds} s ceiling + {seconds} s operation per row");

var clock = Stopwatch.StartNew();
var key = PaillierPrivateKey.Generate(bits);
Console.WriteLine($"key generation: {clock.Elapsed.TotalSeconds:F1} s (two {bits / 2}-bit probable primes)");
var pub = key.PublicKey;
var n = pub.N;
var n2 = pub.NSquared;
var units = Enumerable.Range(0, 64).Select(_ => BigMath.RandomUnit(n2)).ToArray();
var plaintexts = Enumerable.Range(0, 64).Select(_ => BigMath.RandomBelow(n)).ToArray();
var ciphertexts = units.Select(pub.ToCiphertext).ToArray();
var encoded = ciphertexts.Select(PaillierCbor.Encode).ToArray();
var next = 0;
var ceilingRates = new List<double>();

Console.WriteLine();
Console.WriteLine($"{"operation",-60} {"rate",14} {"ceiling",9} {"ratio",10}");

if (!chainOnly)
{
    ScalarRows();
}

ChainRows();

// Aggregation over a cohort, between two ceiling bursts.
var additions = (long)patients * days * 24;
var standIns = Enumerable.Range(0, 8192).Select(_ => pub.ToCiphertext(BigMath.RandomUnit(n2))).ToArray();
var before = Burst(Ceiling, 1);
clock.Restart();
var partials = Enumerable.Range(0, threads).Select(_ => new CiphertextSum(pub)).ToArray();
Parallel.For(0, threads, new ParallelOptions { MaxDegreeOfParallelism = threads }, t =>
{
    for (var i = (long)t; i < additions; i += threads)
    {
        partials[t].Add(standIns[i & 8191]);
    }
});
var total = partials.Skip(1).Aggregate(partials[0].ToCiphertext(), (sum, part) => pub.Add(sum, part.ToCiphertext()));
var aggregate = clock.Elapsed.TotalSeconds;
clock.Restart();
GC.KeepAlive(key.Decrypt(total));
var decrypt = clock.Elapsed.TotalSeconds;
var ceiling = (before + Burst(Ceiling, 1)) / 2;
ceilingRates.Add(ceiling);
Console.WriteLine();
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"aggregation: {patients:N0} patients × {days} days × 24 h = {additions:N0} additions on {threads} thread(s): {aggregate:F1} s ({additions / aggregate:N0}/s), then one CRT decryption: {decrypt * 1000:F0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  ceiling around it {ceiling:F2}/s: the aggregation + decryption took the time of {(aggregate + decrypt) * ceiling:N0} ceiling exponentiations ({additions / aggregate / ceiling:N0} additions per exponentiation)"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"ceiling over the whole run: median {Median(ceilingRates):F2}/s, min {ceilingRates.Min():F2}/s, max {ceilingRates.Max():F2}/s"));
return 0;

void ScalarRows()
{
    // Encryption.
    Compare("encrypt, g^m by ModPow (no 1 + m·n shortcut)", () => GC.KeepAlive(BigInteger.ModPow(pub.G, plaintexts[next++ & 63], n2) * pub.RandomNthResidue() % n2));
    Compare("encrypt, public key (g^m = 1 + m·n)", () => pub.Encrypt(plaintexts[next++ & 63]));
    Compare("encrypt, key holder (rⁿ through the CRT)", () => pub.EncryptWithNthResidue(plaintexts[next++ & 63], key.RandomNthResidue()));
    using (var pool = new NthResiduePool(pub, poolSize))
    {
        CompareMeasured($"pool refill, public key ({poolSize} rⁿ per round)", () => Refill(pool));
        CompareMeasured($"encrypt from a full pool ({poolSize}, refill not counted)", () =>
        {
            pool.Fill();
            return Timed(poolSize, () =>
            {
                for (var i = 0; i < poolSize; i++)
                {
                    GC.KeepAlive(pub.Encrypt(plaintexts[next++ & 63], pool));
                }
            });
        });
    }

    using (var pool = new NthResiduePool(key, poolSize))
    {
        CompareMeasured($"pool refill, key holder CRT ({poolSize} rⁿ per round)", () => Refill(pool));
    }

    // Decryption.
    Compare("decrypt, CRT (Paillier §7)", () => key.Decrypt(ciphertexts[next++ & 63]));
    Compare("decrypt, textbook L(c^λ mod n²)·μ", () => key.DecryptWithoutCrt(ciphertexts[next++ & 63]));

    // Homomorphic addition and validation.
    var a = ciphertexts[0];
    Compare("add, c₁·c₂ % n² (PaillierPublicKey.Add)", () => a = pub.Add(a, ciphertexts[next++ & 63]), batch: 256);
    var running = new CiphertextSum(pub);
    Compare("add, Montgomery running sum (CiphertextSum)", () => running.Add(ciphertexts[next++ & 63]), batch: 256);
    Compare("validate a received c (0 < c < n², gcd(c, n) = 1)", () => pub.ToCiphertext(units[next++ & 63]), batch: 64);
    Compare("decode a ciphertext from CBOR (fingerprint + validation)", () => PaillierCbor.DecodeCiphertext(encoded[next++ & 63], pub), batch: 64);
}

void ChainRows()
{
    // The chain's costs per contribution: what a gateway does once per patient-period, and what the statistics node (and
    // the requester) do per contribution when they recompute a cohort's sum from the committed encodings.
    var layout = VitalSignsLayout.Create(modulusBits: bits);
    var row = VitalSignsLayout.Slots.Select(slot => slot.MaxPerPatientPeriod / 2).ToArray();
    row[(int)VitalSignSlot.PatientPeriods] = 1;
    Compare("contribution: pack a vital-signs row, encrypt, encode", () => GC.KeepAlive(PaillierCbor.Encode(pub.Encrypt(layout.Encode(row)))));
    var recompute = new CiphertextSum(pub);
    Compare("recompute: decode + validate + add one contribution", () => recompute.Add(PaillierCbor.DecodeCiphertext(encoded[next++ & 63], pub)), batch: 64);
}

void Ceiling() => GC.KeepAlive(BigInteger.ModPow(units[next++ & 63], n, n2));

void Compare(string what, Action operation, int batch = 1)
{
    operation(); // warm up (JIT, lazy constants)
    CompareMeasured(what, () => Burst(operation, batch));
}

void CompareMeasured(string what, Func<double> measure)
{
    Ceiling();
    var rates = new List<double>();
    var ceilings = new List<double>();
    var ratios = new List<double>();
    for (var round = 0; round < rounds; round++)
    {
        var c = Burst(Ceiling, 1);
        var r = measure();
        ceilings.Add(c);
        rates.Add(r);
        ratios.Add(r / c);
    }

    ceilingRates.AddRange(ceilings);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{what,-60} {Median(rates),12:N1}/s {Median(ceilings),7:F2}/s {Median(ratios),9:N2}×"));
}

double Burst(Action operation, int batch)
{
    var count = 0L;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds || count < 2)
    {
        for (var i = 0; i < batch; i++)
        {
            operation();
        }

        count += batch;
    }

    return count / watch.Elapsed.TotalSeconds;
}

static double Refill(NthResiduePool pool)
{
    while (pool.Available > 0)
    {
        pool.Take();
    }

    var watch = Stopwatch.StartNew();
    var added = pool.Fill();
    return added / watch.Elapsed.TotalSeconds;
}

static double Timed(int count, Action work)
{
    var watch = Stopwatch.StartNew();
    work();
    return count / watch.Elapsed.TotalSeconds;
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

// Every option takes a positive number; anything else is refused with the usage line.
static Dictionary<string, double> ParseOptions(string[] args)
{
    var values = new Dictionary<string, double>
    {
        ["--bits"] = 3072, ["--seconds"] = 2, ["--rounds"] = 3, ["--patients"] = 1000, ["--days"] = 30, ["--pool"] = 32, ["--threads"] = 1, ["--chain-only"] = 0,
    };
    for (var i = 0; i < args.Length; i += 2)
    {
        if (!values.ContainsKey(args[i]) || i + 1 >= args.Length
            || !double.TryParse(args[i + 1], NumberStyles.Float, CultureInfo.InvariantCulture, out var value) || value <= 0)
        {
            throw new ArgumentException($"'{string.Join(' ', args[i..Math.Min(i + 2, args.Length)])}' is not understood. Options (positive numbers): {string.Join(' ', values.Select(v => $"[{v.Key} {v.Value}]"))}");
        }

        values[args[i]] = value;
    }

    return values;
}
