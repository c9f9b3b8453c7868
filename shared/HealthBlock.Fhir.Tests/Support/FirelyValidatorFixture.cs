using Firely.Fhir.Validation;
using Hl7.Fhir.Model;
using Hl7.Fhir.Specification.Source;
using Hl7.Fhir.Specification.Terminology;

namespace HealthBlock.Fhir.Tests;

/// <summary>
/// Firely's validator against the R4 core profiles, offline: the specification archive of
/// <c>Hl7.Fhir.Specification.Data.R4</c> (copied beside the test binary) through a <see cref="ZipSource"/> unpacked into
/// a temp folder of its own, and the local terminology service over the same archive. Loaded once per test class
/// (the first validation compiles the profiles and takes seconds).
/// </summary>
public sealed class FirelyValidatorFixture : IDisposable
{
    private readonly TempFolder _cache = new();
    private readonly Validator _validator;

    public FirelyValidatorFixture()
    {
        var archive = Path.Combine(AppContext.BaseDirectory, "specification.zip");
        if (!File.Exists(archive))
        {
            throw new FileNotFoundException("specification.zip (Hl7.Fhir.Specification.Data.R4) is not beside the test binary", archive);
        }

        var resolver = new CachedResolver(new ZipSource(archive, _cache.Path));
        _validator = new Validator(resolver, LocalTerminologyService.CreateDefaultForCore(resolver));
    }

    /// <summary>Validates a resource (a bundle with every entry) against its core profile and any profile it claims.</summary>
    public OperationOutcome Validate(Resource resource)
    {
        lock (_validator)
        {
            return _validator.Validate(resource);
        }
    }

    public void Dispose() => _cache.Dispose();
}
