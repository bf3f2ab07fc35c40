-- CreateSchema
CREATE SCHEMA IF NOT EXISTS "public";

-- CreateEnum
CREATE TYPE "OrganisationCategory" AS ENUM ('COMMERCE_AND_INDUSTRY', 'PROFESSIONAL', 'FINANCIAL', 'ADMINISTRATIVE_AGENCY', 'OBSERVER', 'PUBLIC_BODY');

-- CreateEnum
CREATE TYPE "CouncilRole" AS ENUM ('MEMBER', 'OBSERVER', 'SECRETARIAT', 'NONE');

-- CreateEnum
CREATE TYPE "Qualification" AS ENUM ('SME_CONSULTANT', 'TAX_ACCOUNTANT', 'CPA', 'LAWYER', 'LABOUR_AND_SOCIAL_SECURITY_ATTORNEY', 'ADMINISTRATIVE_SCRIVENER', 'BUSINESS_ADVISOR', 'IT_COORDINATOR', 'PROFESSIONAL_ENGINEER');

-- CreateEnum
CREATE TYPE "Speciality" AS ENUM ('STRATEGY', 'FINANCE', 'MARKETING', 'PRODUCTION', 'DIGITAL', 'HUMAN_RESOURCES', 'SUCCESSION', 'OVERSEAS', 'LEGAL_AND_LABOUR', 'TURNAROUND');

-- CreateTable
CREATE TABLE "Organisation" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "nameJa" TEXT NOT NULL,
    "nameEn" TEXT NOT NULL,
    "nameKana" TEXT NOT NULL,
    "category" "OrganisationCategory" NOT NULL,
    "councilRole" "CouncilRole" NOT NULL DEFAULT 'NONE',
    "prefectureCode" CHAR(2),
    "website" TEXT,
    "description" TEXT,
    "parentId" UUID,
    "searchText" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Organisation_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Person" (
    "id" UUID NOT NULL,
    "slug" TEXT NOT NULL,
    "nameJa" TEXT NOT NULL,
    "nameKana" TEXT NOT NULL,
    "nameEn" TEXT,
    "email" TEXT,
    "qualifications" "Qualification"[],
    "specialities" "Speciality"[],
    "regionCodes" TEXT[],
    "capacity" INTEGER NOT NULL DEFAULT 3,
    "searchText" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,

    CONSTRAINT "Person_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Membership" (
    "personId" UUID NOT NULL,
    "organisationId" UUID NOT NULL,
    "title" TEXT,
    "primary" BOOLEAN NOT NULL DEFAULT false,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Membership_pkey" PRIMARY KEY ("personId","organisationId")
);

-- CreateIndex
CREATE UNIQUE INDEX "Organisation_slug_key" ON "Organisation"("slug");

-- CreateIndex
CREATE INDEX "Organisation_category_nameKana_id_idx" ON "Organisation"("category", "nameKana", "id");

-- CreateIndex
CREATE INDEX "Organisation_councilRole_idx" ON "Organisation"("councilRole");

-- CreateIndex
CREATE INDEX "Organisation_prefectureCode_idx" ON "Organisation"("prefectureCode");

-- CreateIndex
CREATE INDEX "Organisation_parentId_idx" ON "Organisation"("parentId");

-- CreateIndex
CREATE UNIQUE INDEX "Person_slug_key" ON "Person"("slug");

-- CreateIndex
CREATE UNIQUE INDEX "Person_email_key" ON "Person"("email");

-- CreateIndex
CREATE INDEX "Person_nameKana_id_idx" ON "Person"("nameKana", "id");

-- CreateIndex
CREATE INDEX "Person_qualifications_idx" ON "Person" USING GIN ("qualifications");

-- CreateIndex
CREATE INDEX "Person_specialities_idx" ON "Person" USING GIN ("specialities");

-- CreateIndex
CREATE INDEX "Person_regionCodes_idx" ON "Person" USING GIN ("regionCodes");

-- CreateIndex
CREATE INDEX "Membership_organisationId_personId_idx" ON "Membership"("organisationId", "personId");

-- AddForeignKey
ALTER TABLE "Organisation" ADD CONSTRAINT "Organisation_parentId_fkey" FOREIGN KEY ("parentId") REFERENCES "Organisation"("id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_personId_fkey" FOREIGN KEY ("personId") REFERENCES "Person"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Membership" ADD CONSTRAINT "Membership_organisationId_fkey" FOREIGN KEY ("organisationId") REFERENCES "Organisation"("id") ON DELETE CASCADE ON UPDATE CASCADE;
