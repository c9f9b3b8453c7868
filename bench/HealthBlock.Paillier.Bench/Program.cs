// Paillier throughput beside its ceiling, measured in the same run.
//
//   dotnet run -c Release --project bench/HealthBlock.Paillier.Bench [-- --bits 3072] [--seconds 5]
//       [--patients 1000] [--days 30] [--pool 64] [--threads 1]
//
// Ceiling: raw BigInteger.ModPow(x, e, n²) per second with an n-bit exponent e, the exponentiation one Paillier
// encryption cannot avoid (rⁿ mod n²). Every figure is printed beside it, as a ratio. The aggregation stands in
// random units mod n² for a cohort's hourly ciphertexts (patients × days × 24 additions, cycling through 8,192
// distinct values), then decrypts the sum once.
using System.Diagnostics;
using System.Globalization;
using System.Numerics;
using System.Security.Cryptography;
using HealthBlock.Paillier;

var bits = int.Parse(ArgValue("--bits") ?? "3072", CultureInfo.InvariantCulture);
var seconds = double.Parse(ArgValue("--seconds") ?? "5", CultureInfo.InvariantCulture);
var patients = int.Parse(ArgValue("--patients") ?? "1000", CultureInfo.InvariantCulture);
var days = int.Parse(ArgValue("--days") ?? "30", CultureInfo.InvariantCulture);
var poolSize = int.Parse(ArgValue("--pool") ?? "64", CultureInfo.InvariantCulture);
var threads = int.Parse(ArgValue("--threads") ?? "1", CultureInfo.InvariantCulture);

Console.WriteLine($"HealthBlock.Paillier.Bench: {Environment.ProcessorCount} cores, .NET {Environment.Version}, n = {bits} bits, {seconds} s per rate");

var clock = Stopwatch.StartNew();
var key = PaillierPrivateKey.Generate(bits);
var keygen = clock.Elapsed.TotalSeconds;
var pub = key.PublicKey;
var n = pub.N;
var n2 = pub.NSquared;
Console.WriteLine($"key generation: {keygen:F1} s (two {bits / 2}-bit probable primes)");
Console.WriteLine();

var ceiling = Rate(() => BigInteger.ModPow(RandomUnit(n2), n, n2));
Row("ceiling: BigInteger.ModPow mod n², n-bit exponent", ceiling, ceiling);
Console.WriteLine();

// Encryption.
var plaintexts = Enumerable.Range(0, 256).Select(_ => RandomBelow(n)).ToArray();
var next = 0;
BigInteger Plaintext() => plaintexts[next++ & 255];
Row("encrypt, g^m by ModPow (no 1 + m·n shortcut)", Rate(() => GC.KeepAlive(BigInteger.ModPow(pub.G, Plaintext(), n2) * pub.RandomNthResidue() % n2)), ceiling);
Row("encrypt, public key (g^m = 1 + m·n)", Rate(() => pub.Encrypt(Plaintext())), ceiling);
Row("encrypt, key holder (rⁿ through the CRT)", Rate(() => pub.EncryptWithNthResidue(Plaintext(), key.RandomNthResidue())), ceiling);

using (var pool = new NthResiduePool(pub, poolSize))
{
    clock.Restart();
    pool.Fill();
    Row($"  pool refill, public key ({poolSize} rⁿ)", poolSize / clock.Elapsed.TotalSeconds, ceiling);
    clock.Restart();
    for (var i = 0; i < poolSize; i++)
    {
        GC.KeepAlive(pub.Encrypt(Plaintext(), pool));
    }

    Row($"  encrypt from a full pool ({poolSize}, refill not counted)", poolSize / clock.Elapsed.TotalSeconds, ceiling);
}

using (var pool = new NthResiduePool(key, poolSize))
{
    clock.Restart();
    pool.Fill();
    Row($"  pool refill, key holder CRT ({poolSize} rⁿ)", poolSize / clock.Elapsed.TotalSeconds, ceiling);
}

Console.WriteLine();

// Decryption.
var ciphertexts = Enumerable.Range(0, 64).Select(_ => pub.ToCiphertext(RandomUnit(n2))).ToArray();
Row("decrypt, CRT (Paillier §7)", Rate(() => key.Decrypt(ciphertexts[next++ & 63])), ceiling);
Row("decrypt, textbook L(c^λ mod n²)·μ", Rate(() => key.DecryptWithoutCrt(ciphertexts[next++ & 63])), ceiling);
Console.WriteLine();

// Homomorphic addition.
var a = ciphertexts[0];
Row("add, c₁·c₂ % n² (PaillierPublicKey.Add)", Rate(() => a = pub.Add(a, ciphertexts[next++ & 63]), batch: 256), ceiling);
var running = new CiphertextSum(pub);
Row("add, Montgomery running sum (CiphertextSum)", Rate(() => running.Add(ciphertexts[next++ & 63]), batch: 256), ceiling);
Console.WriteLine();

// Aggregation over a cohort.
var additions = (long)patients * days * 24;
var standIns = Enumerable.Range(0, 8192).Select(_ => pub.ToCiphertext(RandomUnit(n2))).ToArray();
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
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"aggregation: {patients:N0} patients × {days} days × 24 h = {additions:N0} additions on {threads} thread(s): {aggregate:F1} s ({additions / aggregate:N0}/s), then one CRT decryption: {decrypt * 1000:F0} ms"));
Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
    $"  = the time of {(aggregate + decrypt) * ceiling:N0} ceiling exponentiations; additions/s ÷ ceiling = {additions / aggregate / ceiling:N0}"));
return 0;

double Rate(Action operation, int batch = 1)
{
    operation(); // warm up (JIT, lazy constants)
    var count = 0L;
    var watch = Stopwatch.StartNew();
    while (watch.Elapsed.TotalSeconds < seconds || count < 3)
    {
        for (var i = 0; i < batch; i++)
        {
            operation();
        }

        count += batch;
    }

    return count / watch.Elapsed.TotalSeconds;
}

static void Row(string what, double perSecond, double ceilingPerSecond) =>
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what,-58} {perSecond,12:N1}/s {perSecond / ceilingPerSecond,10:N2}× ceiling"));

static BigInteger RandomBelow(BigInteger bound)
{
    var bytes = new byte[(bound.GetBitLength() + 7) / 8 + 8];
    RandomNumberGenerator.Fill(bytes);
    return new BigInteger(bytes, isUnsigned: true) % bound;
}

static BigInteger RandomUnit(BigInteger bound)
{
    while (true)
    {
        // Units of Z_{n²}: odd and coprime to n (all but a negligible fraction of draws).
        var x = RandomBelow(bound);
        if (!x.IsZero && BigInteger.GreatestCommonDivisor(x, bound).IsOne)
        {
            return x;
        }
    }
}

static string? ArgValue(string name)
{
    var args = Environment.GetCommandLineArgs();
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : null;
}
