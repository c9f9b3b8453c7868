namespace HealthBlock.Analysis;

/// <summary>
/// The shape of one kind of synthetic beat as a sum of Gaussian waves (the sum-of-Gaussians form of McSharry et al.,
/// "A dynamical model for generating synthetic electrocardiogram signals", IEEE TBME 50(3), 2003), with the
/// annotation label a cardiologist would give it. T waves are stretched with √RR (Bazett) when drawn.
/// </summary>
/// <param name="Name">Short name used in manifests (e.g. <c>normal</c>, <c>lbbb</c>, <c>pvc-inverted</c>).</param>
/// <param name="Label">Reference beat label (MIT/WFDB code).</param>
/// <param name="HasPWave">True for conducted (supraventricular) beats, which are preceded by a P wave in sinus rhythm.</param>
/// <param name="Qrs">The waves of the QRS complex.</param>
/// <param name="T">The waves of repolarisation (offsets and widths scale with √RR).</param>
public sealed record SyntheticBeatMorphology(
    string Name,
    AnnotationCode Label,
    bool HasPWave,
    IReadOnlyList<SyntheticWave> Qrs,
    IReadOnlyList<SyntheticWave> T)
{
    /// <summary>The P wave drawn before conducted beats in sinus rhythm.</summary>
    public static readonly SyntheticWave PWave = new(-0.16, 0.025, 0.12);

    /// <summary>Normal narrow QRS (≈ 70 ms), upright T.</summary>
    public static SyntheticBeatMorphology Normal { get; } = NormalWithWidth(1.0);

    /// <summary>Left bundle branch block-like beat: no septal q, broad notched R (≈ 150 ms), discordant (inverted) T.</summary>
    public static SyntheticBeatMorphology LeftBundleBranchBlock { get; } = new(
        "lbbb",
        AnnotationCode.LeftBundleBranchBlock,
        true,
        [new(-0.030, 0.018, 0.70), new(0.000, 0.012, 0.55), new(0.028, 0.018, 0.75)],
        [new(0.330, 0.060, -0.30)]);

    /// <summary>Right bundle branch block-like beat (lead II view): narrow r, deep slurred S and a late R' (≈ 130 ms),
    /// slightly inverted T.</summary>
    public static SyntheticBeatMorphology RightBundleBranchBlock { get; } = new(
        "rbbb",
        AnnotationCode.RightBundleBranchBlock,
        true,
        [new(-0.022, 0.008, -0.08), new(0.000, 0.010, 0.80), new(0.030, 0.013, -0.55), new(0.062, 0.014, 0.45)],
        [new(0.300, 0.055, -0.12)]);

    /// <summary>Normal beat with a T wave as tall as the R wave (hyperacute/tall T, a T-wave discrimination test).</summary>
    public static SyntheticBeatMorphology TallT { get; } = Normal with
    {
        Name = "tall-t",
        T = [new(0.260, 0.045, 0.95)],
    };

    /// <summary>Premature ventricular beat, upright: broad R (≈ 160 ms), discordant T.</summary>
    public static SyntheticBeatMorphology VentricularUpright { get; } = new(
        "pvc-upright",
        AnnotationCode.PrematureVentricular,
        false,
        [new(-0.010, 0.030, 1.50), new(0.060, 0.025, -0.30)],
        [new(0.300, 0.070, -0.45)]);

    /// <summary>Premature ventricular beat, inverted: deep broad QS (≈ 150 ms), upright T.</summary>
    public static SyntheticBeatMorphology VentricularInverted { get; } = new(
        "pvc-inverted",
        AnnotationCode.PrematureVentricular,
        false,
        [new(0.000, 0.028, -1.30), new(0.065, 0.025, 0.35)],
        [new(0.310, 0.070, 0.45)]);

    /// <summary>Premature ventricular beat, biphasic: R then deep S, both broad (≈ 170 ms), low amplitude.</summary>
    public static SyntheticBeatMorphology VentricularBiphasic { get; } = new(
        "pvc-biphasic",
        AnnotationCode.PrematureVentricular,
        false,
        [new(-0.025, 0.024, 0.75), new(0.040, 0.028, -0.85)],
        [new(0.320, 0.070, 0.30)]);

    /// <summary>The named presets, for manifests.</summary>
    public static IReadOnlyList<SyntheticBeatMorphology> Presets { get; } =
        [Normal, LeftBundleBranchBlock, RightBundleBranchBlock, TallT, VentricularUpright, VentricularInverted, VentricularBiphasic];

    /// <summary>A normal beat whose Q, R and S waves are widened by <paramref name="qrsWidthScale"/> (1 ≈ 70 ms).</summary>
    /// <param name="qrsWidthScale">Width factor (positive).</param>
    /// <returns>The morphology.</returns>
    public static SyntheticBeatMorphology NormalWithWidth(double qrsWidthScale)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(qrsWidthScale);
        var w = qrsWidthScale;
        return new SyntheticBeatMorphology(
            "normal",
            AnnotationCode.Normal,
            true,
            [new(-0.025 * w, 0.008 * w, -0.08), new(0.000, 0.010 * w, 1.00), new(0.027 * w, 0.009 * w, -0.20)],
            [new(0.280, 0.050, 0.25)]);
    }

    /// <summary>Finds a preset by <see cref="Name"/>.</summary>
    /// <param name="name">The name.</param>
    /// <returns>The preset.</returns>
    /// <exception cref="ArgumentException">No preset has that name.</exception>
    public static SyntheticBeatMorphology Named(string name) =>
        Presets.FirstOrDefault(p => string.Equals(p.Name, name, StringComparison.Ordinal))
        ?? throw new ArgumentException(
            $"no synthetic beat morphology is called '{name}' (known: {string.Join(", ", Presets.Select(p => p.Name))})", nameof(name));
}
