// Drives paillier-bigint (an independent Paillier implementation) for HealthBlock.Paillier's interop tests.
// Reads one JSON request on stdin, writes one JSON answer on stdout; integers travel as decimal strings.
//
//   {"op":"keygen","bits":2048,"simpleVariant":true}            -> {"n","g","lambda","mu","p","q"}
//   {"op":"encrypt","publicKey":{"n","g"?},"plaintexts":[..],"randomness"?:[..]}  -> {"ciphertexts":[..]}
//   {"op":"decrypt","privateKey":{"n","g"?, "lambda","mu"} | {"n","p","q"},"ciphertexts":[..]} -> {"plaintexts":[..]}
//   {"op":"add","publicKey":{"n","g"?},"ciphertexts":[..]}      -> {"ciphertext"}
//   {"op":"multiply","publicKey":{"n","g"?},"ciphertext","scalar"} -> {"ciphertext"}
//
// g defaults to n + 1. A private key given as p and q is mapped to paillier-bigint's form for g = n + 1
// (its "simple variant"): lambda = (p - 1)(q - 1), mu = lambda^-1 mod n, and p, q passed on for its CRT path.
// A refused request prints {"error": "..."} on stderr and exits 1.
import { readFileSync } from 'node:fs'
import * as paillier from 'paillier-bigint'
import { modInv } from 'bigint-crypto-utils'

const int = (value, name) => {
  if (typeof value !== 'string' || !/^[0-9]+$/.test(value)) throw new Error(`${name} must be a decimal string`)
  return BigInt(value)
}
const ints = (values, name) => {
  if (!Array.isArray(values)) throw new Error(`${name} must be an array`)
  return values.map((v, i) => int(v, `${name}[${i}]`))
}
const text = (value) => value.toString(10)

function publicKey (json) {
  const n = int(json?.n, 'publicKey.n')
  const g = json.g === undefined ? n + 1n : int(json.g, 'publicKey.g')
  return new paillier.PublicKey(n, g)
}

function privateKey (json) {
  const pub = publicKey(json)
  if (json.p !== undefined || json.q !== undefined) {
    if (pub.g !== pub.n + 1n) throw new Error('a key given by p and q is mapped for g = n + 1 only')
    const p = int(json.p, 'privateKey.p')
    const q = int(json.q, 'privateKey.q')
    if (p * q !== pub.n) throw new Error('p * q != n')
    const lambda = (p - 1n) * (q - 1n)
    return new paillier.PrivateKey(lambda, modInv(lambda, pub.n), pub, p, q)
  }
  return new paillier.PrivateKey(int(json.lambda, 'privateKey.lambda'), int(json.mu, 'privateKey.mu'), pub)
}

const ops = {
  keygen (request) {
    const bits = request.bits ?? 2048
    if (!Number.isInteger(bits) || bits < 16) throw new Error('bits must be an integer of at least 16')
    const { publicKey: pub, privateKey: priv } = paillier.generateRandomKeysSync(bits, request.simpleVariant ?? true)
    // p and q are private fields of paillier-bigint's PrivateKey (_p, _q); it always sets them at generation.
    return { n: text(pub.n), g: text(pub.g), lambda: text(priv.lambda), mu: text(priv.mu), p: text(priv._p), q: text(priv._q) }
  },
  encrypt (request) {
    const pub = publicKey(request.publicKey)
    const plaintexts = ints(request.plaintexts, 'plaintexts')
    const randomness = request.randomness === undefined ? undefined : ints(request.randomness, 'randomness')
    return { ciphertexts: plaintexts.map((m, i) => text(pub.encrypt(m, randomness?.[i]))) }
  },
  decrypt (request) {
    const priv = privateKey(request.privateKey)
    return { plaintexts: ints(request.ciphertexts, 'ciphertexts').map((c) => text(priv.decrypt(c))) }
  },
  add (request) {
    const cs = ints(request.ciphertexts, 'ciphertexts')
    if (cs.length < 2) throw new Error('add needs at least two ciphertexts')
    return { ciphertext: text(publicKey(request.publicKey).addition(...cs)) }
  },
  multiply (request) {
    const pub = publicKey(request.publicKey)
    return { ciphertext: text(pub.multiply(int(request.ciphertext, 'ciphertext'), int(request.scalar, 'scalar'))) }
  }
}

try {
  const request = JSON.parse(readFileSync(0, 'utf8'))
  const op = ops[request?.op]
  if (op === undefined) throw new Error(`unknown op ${JSON.stringify(request?.op)}; known: ${Object.keys(ops).join(', ')}`)
  process.stdout.write(JSON.stringify(op(request)) + '\n')
} catch (error) {
  process.stderr.write(JSON.stringify({ error: error.message }) + '\n')
  process.exit(1)
}
