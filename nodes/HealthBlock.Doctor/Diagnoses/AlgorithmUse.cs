using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using HealthBlock.Analysis;

namespace HealthBlock.Doctor;

/// <summary>An algorithm and the version of it that was used.</summary>
/// <param name="Name">Its name.</param>
/// <param name="Version">Its version.</param>
public sealed record AlgorithmUse(string Name, string Version);
