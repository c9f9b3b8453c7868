namespace HealthBlock.Analysis;

/// <summary>One Gaussian wave of a synthetic beat.</summary>
/// <param name="OffsetSeconds">Centre relative to the beat's fiducial (R-peak) time, seconds.</param>
/// <param name="WidthSeconds">Standard deviation of the Gaussian, seconds.</param>
/// <param name="Amplitude">Peak amplitude relative to the R amplitude of <see cref="SyntheticEcgOptions.RAmplitudeMv"/>.</param>
public readonly record struct SyntheticWave(double OffsetSeconds, double WidthSeconds, double Amplitude);
