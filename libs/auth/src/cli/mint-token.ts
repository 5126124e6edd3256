import { parseArgs } from 'node:util';
import { isRole, ROLES } from '@aftersales/kernel';
import { LOCAL_JWT_SECRET, mintToken } from '../token-verifier';

// `npm run token -- --role merchant_agent --id a1 --merchant m1` prints a bearer token for local runs.
async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      role: { type: 'string' },
      id: { type: 'string' },
      merchant: { type: 'string' },
      secret: { type: 'string' },
      expires: { type: 'string' },
    },
  });
  if (!isRole(values.role)) throw new Error(`--role must be one of ${ROLES.join(', ')}`);
  if (!values.id) throw new Error('--id is required');
  if (values.role === 'merchant_agent' && !values.merchant)
    throw new Error('--merchant is required for merchant_agent');
  const secret = values.secret ?? process.env.AUTH_JWT_SECRET ?? LOCAL_JWT_SECRET;
  const token = await mintToken({
    role: values.role,
    id: values.id,
    ...(values.merchant ? { merchantId: values.merchant } : {}),
    secret,
    ...(values.expires ? { expiresIn: values.expires } : {}),
  });
  process.stdout.write(`${token}\n`);
}

main().catch((e: Error) => {
  process.stderr.write(`${e.message}\n`);
  process.exit(1);
});
