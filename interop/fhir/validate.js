#!/usr/bin/env node
// Validates FHIR R4 JSON files with the fhir npm package (FHIR.js, R4 = 4.0.0 by default): a second validator,
// independent of Firely's, for HealthBlock's exported bundles. Bundles are validated with every entry, and a
// property the R4 definitions do not know is an error (errorOnUnexpected).
//
//   node validate.js FILE...
//
// Prints one summary line per file ("FILE: valid|INVALID, N entries, E errors, W warnings (U unverifiable), I info"),
// then every error and each distinct warning with its count. A warning is unverifiable when FHIR.js reports, at the
// same place, that it does not have the bound value set (it ships none of LOINC, HL7 v2/v3 or HealthBlock's): it then
// reports every code as "not found in value set". Exit 0 when every file is valid, 1 when one is not, 2 when a file
// cannot be read or is not JSON.
'use strict';

const fs = require('fs');
const { Fhir } = require('fhir');

const files = process.argv.slice(2);
if (files.length === 0) {
  console.error('usage: node validate.js FILE...');
  process.exit(2);
}

const fhir = new Fhir();
let invalid = 0;
for (const file of files) {
  let resource;
  try {
    resource = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (e) {
    console.error(`${file}: cannot read as JSON: ${e.message}`);
    process.exit(2);
  }

  const result = fhir.validate(resource, { errorOnUnexpected: true });
  const bySeverity = (s) => result.messages.filter((m) => m.severity === s);
  const errors = [...bySeverity('fatal'), ...bySeverity('error')];
  const warnings = bySeverity('warning');
  const missingValueSet = new Set();
  let unverifiable = 0;
  for (const m of result.messages) {
    const at = `${m.resourceId}|${m.location}`;
    if (m.severity === 'info' && / could not be found\.$/.test(m.message) && m.message.startsWith('Value set')) {
      missingValueSet.add(at);
    } else if (m.severity === 'warning' && m.message.endsWith('not found in value set') && missingValueSet.has(at)) {
      unverifiable++;
    }
  }

  const entries = Array.isArray(resource.entry) ? resource.entry.length : 0;
  console.log(`${file}: ${result.valid ? 'valid' : 'INVALID'}, ${entries} entries, ${errors.length} errors, ${warnings.length} warnings (${unverifiable} unverifiable), ${bySeverity('info').length} info`);
  for (const m of errors) {
    console.log(`  ${m.severity} at ${m.location} (${m.resourceId || resource.resourceType}): ${m.message}`);
  }

  const distinct = new Map();
  for (const m of warnings) {
    const key = `${m.location}: ${m.message}`;
    distinct.set(key, (distinct.get(key) || 0) + 1);
  }

  for (const [key, count] of distinct) {
    console.log(`  warning ×${count} at ${key}`);
  }

  if (!result.valid) {
    invalid++;
  }
}

process.exit(invalid === 0 ? 0 : 1);
