# The hub's image: one image, one process per container (see docker-compose.yml).
FROM node:22-bookworm-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build && npm prune --omit=dev

FROM node:22-bookworm-slim
WORKDIR /app
ENV NODE_ENV=production
COPY --from=build /app/package.json ./
COPY --from=build /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY --from=build /app/web/dist ./web/dist
COPY --from=build /app/schema ./schema
COPY --from=build /app/services ./services
COPY --from=build /app/prisma/schema ./prisma/schema
COPY --from=build /app/prisma/migrations ./prisma/migrations
USER node
CMD ["node", "dist/gateway/index.js"]
