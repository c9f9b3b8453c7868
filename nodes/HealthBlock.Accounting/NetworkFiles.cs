namespace HealthBlock.Accounting;

/// <summary>Files of a network made by <see cref="NetworkSetup.Create"/>.</summary>
/// <param name="GenesisFile">The genesis JSON.</param>
/// <param name="AdminKeyFile">The first admin's key file.</param>
/// <param name="NodeKeyFiles">One key file per accounting node.</param>
public sealed record NetworkFiles(string GenesisFile, string AdminKeyFile, IReadOnlyList<string> NodeKeyFiles);
