import type { NextConfig } from "next";

// A static export: the gateway serves web/out at / (embedded), or any static or Node host
// serves it against a remote gateway named by NEXT_PUBLIC_RAIKOO_API_URL (docs/console.md).
const config: NextConfig = {
  output: "export",
  trailingSlash: true,
  images: { unoptimized: true },
  reactStrictMode: true,
  poweredByHeader: false,
};

export default config;
