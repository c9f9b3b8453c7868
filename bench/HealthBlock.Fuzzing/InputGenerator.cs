namespace HealthBlock.Fuzz;

/// <summary>
/// Makes the inputs of one target: purely random bytes, byte-level mutations of the seeds and of accepted inputs
/// (a small growing corpus), splices between them, and the shape's structure-aware mutations.
/// </summary>
public sealed class InputGenerator
{
    private const int MaxCorpus = 256;

    private readonly FuzzTarget _target;
    private readonly Random _random;
    private readonly double _randomShare;
    private readonly List<byte[]> _corpus;
    private readonly CborMutator? _cbor;
    private readonly JsonMutator? _json;

    /// <summary>Creates the generator.</summary>
    public InputGenerator(FuzzTarget target, int seed, double randomShare)
    {
        ArgumentNullException.ThrowIfNull(target);
        _target = target;
        _random = new Random(seed ^ StableHash(target.Name));
        _randomShare = randomShare;
        _corpus = [.. target.Seeds];
        _cbor = target.Shape == InputShape.Cbor ? new CborMutator(target.Seeds) : null;
        _json = target.Shape == InputShape.Json ? new JsonMutator(target.Seeds) : null;
    }

    /// <summary>The next input.</summary>
    public byte[] Next()
    {
        if (_random.NextDouble() < _randomShare || _corpus.Count == 0)
        {
            return _target.Shape == InputShape.Text ? RandomText() : ByteMutator.RandomBytes(_random, _target.MaxRandomLength);
        }

        var structured = _random.Next(2) == 0;
        if (structured)
        {
            switch (_target.Shape)
            {
                case InputShape.Cbor when _cbor is { HasSeeds: true }:
                    return Maybe(_cbor.Next(_random));
                case InputShape.Json when _json is { HasSeeds: true }:
                    return Maybe(_json.Next(_random));
                case InputShape.Pem:
                    return PemMutator.Next(_random, Pick(), _corpus) ?? ByteMutator.Mutate(_random, Pick(), _corpus);
                case InputShape.Text:
                    return Base32Mutation(Pick());
            }
        }

        return ByteMutator.Mutate(_random, Pick(), _corpus);
    }

    /// <summary>Keeps some accepted inputs as further starting points.</summary>
    public void Learn(byte[] accepted)
    {
        if (_random.Next(16) != 0)
        {
            return;
        }

        if (_corpus.Count < MaxCorpus)
        {
            _corpus.Add(accepted);
        }
        else
        {
            _corpus[_target.Seeds.Count + _random.Next(MaxCorpus - _target.Seeds.Count)] = accepted;
        }
    }

    private byte[] Pick() => _corpus[_random.Next(_corpus.Count)];

    private byte[] Maybe(byte[] structured) => _random.Next(5) == 0 ? ByteMutator.Mutate(_random, structured, _corpus) : structured;

    private byte[] RandomText()
    {
        const string Alphabet = "abcdefghijklmnopqrstuvwxyz234567bafkreiQmABCXYZ019=-_ +/";
        var length = _random.Next(2) == 0 ? 59 + _random.Next(-3, 4) : _random.Next(_target.MaxRandomLength);
        var text = new byte[Math.Max(0, length)];
        for (var i = 0; i < text.Length; i++)
        {
            text[i] = _random.Next(10) == 0 ? (byte)_random.Next(256) : (byte)Alphabet[_random.Next(Alphabet.Length)];
        }

        return text;
    }

    private byte[] Base32Mutation(byte[] seed)
    {
        const string Base32 = "abcdefghijklmnopqrstuvwxyz234567";
        var copy = (byte[])seed.Clone();
        var n = 1 + _random.Next(3);
        for (var i = 0; i < n && copy.Length > 0; i++)
        {
            copy[_random.Next(copy.Length)] = (byte)Base32[_random.Next(Base32.Length)];
        }

        return copy;
    }

    private static int StableHash(string text)
    {
        var h = 17;
        foreach (var c in text)
        {
            h = unchecked((h * 31) + c);
        }

        return h;
    }
}
