namespace HealthBlock.Analysis;

/// <summary>Receives the final, ordered output of <see cref="EcgStreamAssembler"/>.</summary>
internal interface IEcgStreamOutput
{
    /// <summary>A readable stretch starting at <paramref name="start"/> is long enough to be analysed.</summary>
    void ReadableStart(long start);

    /// <summary>A final beat of the current readable stretch.</summary>
    void Beat(QrsBeat beat);

    /// <summary>The readable stretch <c>[start, end)</c> ended.</summary>
    void ReadableEnd(long start, long end);

    /// <summary>A final unreadable span (merged, with every reason found in it).</summary>
    void Unreadable(EcgSpan span);
}
