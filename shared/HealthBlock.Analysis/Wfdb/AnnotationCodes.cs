namespace HealthBlock.Analysis;

/// <summary>Classification and mnemonics of <see cref="AnnotationCode"/> values.</summary>
public static class AnnotationCodes
{
    /// <summary>Largest legal annotation code (WFDB <c>ACMAX</c>).</summary>
    public const int MaxCode = 49;

    // WFDB isqrs table (lib/ecgmap.h): 1 marks a QRS complex, index = code 0..49.
    private static readonly bool[] BeatTable = CreateBeatTable();

    private static readonly string[] Mnemonics =
    [
        " ", "N", "L", "R", "a", "V", "F", "J", "A", "S",
        "E", "j", "/", "Q", "~", "[15]", "|", "[17]", "s", "T",
        "*", "D", "\"", "=", "p", "B", "^", "t", "+", "u",
        "?", "!", "[", "]", "e", "n", "@", "x", "f", "(",
        ")", "r",
    ];

    /// <summary>
    /// True when the code denotes a QRS complex (a beat), following WFDB's <c>isqrs</c> table:
    /// N L R a V F J A S E j / Q B ? ! e n f r are beats; every other code (rhythm <c>+</c>, noise
    /// <c>~</c>, artifact <c>|</c>, blocked P <c>x</c>, comments, waveform markers, ...) is not.
    /// </summary>
    /// <param name="code">Annotation code.</param>
    public static bool IsBeat(AnnotationCode code) => (int)code <= MaxCode && BeatTable[(int)code];

    /// <summary>The one-character (or bracketed) mnemonic WFDB prints for a code, e.g. <c>N</c>.</summary>
    /// <param name="code">Annotation code.</param>
    public static string Mnemonic(AnnotationCode code) =>
        (int)code < Mnemonics.Length ? Mnemonics[(int)code] : $"[{(int)code}]";

    /// <summary>Finds the code for a mnemonic such as <c>N</c> or <c>+</c>.</summary>
    /// <param name="mnemonic">The mnemonic.</param>
    /// <param name="code">The code when found.</param>
    /// <returns>True when the mnemonic is known.</returns>
    public static bool TryParse(string mnemonic, out AnnotationCode code)
    {
        var index = Array.IndexOf(Mnemonics, mnemonic);
        code = index > 0 ? (AnnotationCode)index : AnnotationCode.NotQrs;
        return index > 0;
    }

    private static bool[] CreateBeatTable()
    {
        var table = new bool[MaxCode + 1];
        for (var c = 1; c <= 13; c++)
        {
            table[c] = true;
        }

        foreach (var c in new[] { 25, 30, 31, 34, 35, 38, 41 })
        {
            table[c] = true;
        }

        return table;
    }
}
