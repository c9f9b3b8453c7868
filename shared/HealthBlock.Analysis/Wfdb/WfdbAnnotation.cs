namespace HealthBlock.Analysis;

/// <summary>One annotation from a WFDB annotation file.</summary>
/// <param name="Sample">Sample index (time) of the annotation.</param>
/// <param name="Code">Annotation type.</param>
/// <param name="SubType">Subtype (the SUB field), 0 when absent.</param>
/// <param name="Channel">Channel (the CHN field; persists until changed), 0 by default.</param>
/// <param name="Number">Number (the NUM field; persists until changed), 0 by default.</param>
/// <param name="Aux">Auxiliary text, e.g. a rhythm label such as <c>(N</c>, or null.</param>
public readonly record struct WfdbAnnotation(
    long Sample,
    AnnotationCode Code,
    int SubType,
    int Channel,
    int Number,
    string? Aux)
{
    /// <summary>True when this annotation marks a beat (WFDB <c>isqrs</c>).</summary>
    public bool IsBeat => AnnotationCodes.IsBeat(Code);

    /// <summary>WFDB mnemonic of the type, e.g. <c>N</c>, <c>V</c>, <c>+</c>.</summary>
    public string Mnemonic => AnnotationCodes.Mnemonic(Code);
}
